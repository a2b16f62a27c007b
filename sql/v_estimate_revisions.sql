-- v_estimate_revisions: each institution's estimate changes (grain: one change of one institution's
-- estimate for a company x metric x segment x measure x period x unit). revision_source 'across_notes'
-- compares an institution's note with its previous note; 'stated_in_note' pairs a note's prior_estimate
-- (the forecast it says it replaced) with its new estimate.
CREATE OR REPLACE VIEW v_estimate_revisions AS
WITH per_note AS (
    SELECT company_key, company_name, metric_code, segment_code, measure, period_label, unit, basis,
        institution, note_id, source_file, published_at, avg(value) AS value
    FROM v_fact_detail
    WHERE basis IN ('estimate', 'prior_estimate')
    GROUP BY ALL
),
across AS (
    SELECT *,
        lag(value) OVER w AS previous_value,
        lag(published_at) OVER w AS previous_date,
        lag(source_file) OVER w AS previous_source_file
    FROM per_note
    WHERE basis = 'estimate'
    WINDOW w AS (
        PARTITION BY company_key, metric_code, segment_code, measure, period_label, unit, institution
        ORDER BY published_at NULLS FIRST, note_id
    )
),
changes AS (
    SELECT company_key, company_name, institution, metric_code, segment_code, measure, period_label, unit,
        previous_value, previous_date, previous_source_file,
        value AS revised_value, published_at AS revised_date, source_file, note_id,
        'across_notes' AS revision_source
    FROM across
    WHERE previous_value IS NOT NULL AND abs(value - previous_value) > 1e-9 * greatest(abs(value), 1)
    UNION ALL
    SELECT e.company_key, e.company_name, e.institution, e.metric_code, e.segment_code, e.measure,
        e.period_label, e.unit,
        p.value, NULL, NULL,
        e.value, e.published_at, e.source_file, e.note_id,
        'stated_in_note'
    FROM per_note e
    JOIN per_note p
      ON p.basis = 'prior_estimate' AND e.basis = 'estimate' AND p.note_id = e.note_id
     AND p.company_key = e.company_key AND p.metric_code = e.metric_code AND p.segment_code = e.segment_code
     AND p.measure = e.measure AND p.period_label = e.period_label AND p.unit = e.unit
)
SELECT *,
    revised_value - previous_value AS change,
    CASE WHEN previous_value <> 0
         THEN round(100 * (revised_value - previous_value) / abs(previous_value), 2) END AS change_pct,
    CASE WHEN revised_value > previous_value THEN 'up'
         WHEN revised_value < previous_value THEN 'down' ELSE 'unchanged' END AS direction
FROM changes;
