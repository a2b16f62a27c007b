-- Question: what share of a company's revenue does each segment bring, period by period?
-- Segment revenue over whole-company revenue of the same period (best reported values), next to the share
-- a note states directly (metric revenue_share) when there is one. Both revenues in the same currency.
WITH seg AS (
    SELECT company_key, company_name, segment_code, period_label, period_type, end_date, value, unit
    FROM v_latest_actuals
    WHERE metric_code = 'revenue' AND segment_code <> '' AND measure = 'level'
),
total AS (
    SELECT company_key, period_label, value, unit
    FROM v_latest_actuals
    WHERE metric_code = 'revenue' AND segment_code = '' AND measure = 'level'
),
stated AS (
    SELECT company_key, segment_code, period_label, value
    FROM v_latest_actuals
    WHERE metric_code = 'revenue_share' AND measure = 'level'
)
SELECT
    s.company_name,
    s.segment_code,
    d.name_zh AS segment_name,
    s.period_label,
    round(s.value / 1e8, 2) AS segment_revenue_100m,
    round(t.value / 1e8, 2) AS total_revenue_100m,
    s.unit,
    round(100 * s.value / t.value, 1) AS computed_share_pct,
    st.value AS stated_share_pct
FROM seg s
JOIN total t ON t.company_key = s.company_key AND t.period_label = s.period_label AND t.unit = s.unit
LEFT JOIN stated st
  ON st.company_key = s.company_key AND st.segment_code = s.segment_code AND st.period_label = s.period_label
LEFT JOIN dim_segment d ON d.segment_code = s.segment_code
ORDER BY s.company_name, s.segment_code, s.end_date;
