-- Question: which figures are reported by more than one note, and do the notes disagree?
-- Every actual figure with two or more sources; disagreements (beyond rounding) first, with the spread.
SELECT
    company_name,
    metric_code,
    segment_code,
    measure,
    period_label,
    unit,
    n_sources,
    n_values,
    min_value,
    max_value,
    value AS best_value,
    value_text AS best_as_written,
    sources_agree,
    CASE WHEN min_value <> 0 THEN round(100 * (max_value - min_value) / abs(min_value), 3) END AS spread_pct
FROM v_latest_actuals
WHERE n_sources > 1
ORDER BY sources_agree, spread_pct DESC NULLS LAST, company_name, metric_code, period_label;
