-- v_conflicts: notes that disagree on a reported (actual) figure (grain: one figure x one source value):
-- every value of a figure whose sources do not agree within rounding in v_latest_actuals, set against the
-- best value; estimates that differ between institutions are not conflicts (see v_consensus_estimates).
CREATE OR REPLACE VIEW v_conflicts AS
SELECT
    l.company_name, l.metric_code, l.segment_code, l.measure, l.period_label, l.unit,
    l.value AS best_value, l.source_file AS best_source_file,
    fd.value, fd.decimals, fd.value_text,
    fd.value - l.value AS difference,
    CASE WHEN l.value <> 0 THEN round(100 * (fd.value - l.value) / abs(l.value), 4) END AS difference_pct,
    fd.source_file, fd.note_id, fd.publisher, fd.published_at, fd.evidence,
    l.n_sources, l.n_values, l.company_key
FROM v_latest_actuals l
JOIN v_fact_detail fd
  ON fd.basis = 'actual'
 AND fd.company_key = l.company_key AND fd.metric_code = l.metric_code AND fd.segment_code = l.segment_code
 AND fd.measure = l.measure AND fd.period_label = l.period_label AND fd.unit = l.unit
WHERE NOT l.sources_agree;
