-- Question: what was each company's quarterly revenue, and how fast did it grow year on year?
-- The best reported value per quarter (v_latest_actuals), the yoy the notes state, and the yoy computed
-- from the same quarter a year earlier when the warehouse holds it. One currency per quarter: CNY when a
-- note gives it (HK/US-listed issuers are also quoted in USD). Filter on company_name for one company.
WITH rev AS (
    SELECT company_key, company_name, fiscal_year, fiscal_quarter, period_label, value, unit, source_file
    FROM v_latest_actuals
    WHERE metric_code = 'revenue' AND segment_code = '' AND measure = 'level' AND period_type = 'Q'
    QUALIFY row_number() OVER (PARTITION BY company_key, period_label ORDER BY unit = 'CNY' DESC, unit) = 1
),
stated AS (
    SELECT company_key, period_label, value AS stated_yoy_pct
    FROM v_latest_actuals
    WHERE metric_code = 'revenue' AND segment_code = '' AND measure = 'yoy' AND period_type = 'Q'
)
SELECT
    r.company_name,
    r.period_label AS quarter,
    round(r.value / 1e8, 2) AS revenue_100m,
    r.unit,
    s.stated_yoy_pct,
    round(100 * (r.value / prior.value - 1), 1) AS computed_yoy_pct,
    r.source_file
FROM rev r
LEFT JOIN stated s ON s.company_key = r.company_key AND s.period_label = r.period_label
LEFT JOIN rev prior
  ON prior.company_key = r.company_key AND prior.fiscal_year = r.fiscal_year - 1
 AND prior.fiscal_quarter = r.fiscal_quarter AND prior.unit = r.unit
ORDER BY r.company_name, r.fiscal_year, r.fiscal_quarter;
