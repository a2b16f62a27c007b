-- Question: what do brokers expect for FY2026 net profit, per company?
-- Each institution's latest FY2026 forecast of net profit, attributable net profit or adjusted net profit
-- (loss-makers are usually forecast on the adjusted basis), aggregated by v_consensus_estimates.
SELECT
    company_name,
    metric_code,
    n_institutions,
    round(mean_estimate / 1e6, 1) AS mean_cny_m,
    round(median_estimate / 1e6, 1) AS median_cny_m,
    round(min_estimate / 1e6, 1) AS low_cny_m,
    round(max_estimate / 1e6, 1) AS high_cny_m,
    CAST(latest_date AS DATE) AS latest_estimate_date,
    institutions
FROM v_consensus_estimates
WHERE fiscal_year = 2026
  AND metric_code IN ('net_profit', 'net_profit_attributable', 'adjusted_net_profit')
  AND segment_code = '' AND measure = 'level'
ORDER BY company_name, metric_code;
