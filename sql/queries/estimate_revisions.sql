-- Question: which forecasts were revised, by whom, and by how much?
-- Changes between an institution's notes and changes a note states itself (prior_estimate -> estimate).
SELECT
    company_name,
    institution,
    metric_code,
    period_label,
    unit,
    previous_value,
    revised_value,
    change_pct,
    direction,
    revision_source,
    CAST(revised_date AS DATE) AS revised_on,
    source_file
FROM v_estimate_revisions
ORDER BY company_name, metric_code, period_label, revised_date, institution;
