-- Question: which metrics grew fastest year on year in each company's most recent reported period?
-- Stated yoy growth (actuals) ranked within each company, latest period end first.
SELECT
    company_name,
    metric_code,
    segment_code,
    period_label,
    end_date,
    value AS yoy_pct,
    source_file,
    evidence
FROM v_latest_actuals
WHERE measure = 'yoy'
QUALIFY dense_rank() OVER (PARTITION BY company_key ORDER BY end_date DESC NULLS LAST) = 1
ORDER BY company_name, yoy_pct DESC;
