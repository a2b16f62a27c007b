-- v_fact_detail: fact_metric joined to every dimension (grain: one fact as written in one note); the base of
-- the analyst views. institution = the note's publisher (or "(unattributed) <file>" when the note names none).
CREATE OR REPLACE VIEW v_fact_detail AS
SELECT
    f.fact_id, f.note_id, d.source_file, d.title, d.publisher,
    coalesce(d.publisher, '(unattributed) ' || d.source_file) AS institution,
    d.published_at, d.kind,
    f.company_key, c.company_name, array_to_string(c.tickers, ', ') AS company_ticker,
    f.metric_code, m.name_zh AS metric_name_zh, m.name_en AS metric_name_en,
    f.segment_code, s.name_zh AS segment_name_zh,
    f.measure, f.period_label, p.period_type, p.fiscal_year, p.fiscal_quarter, p.start_date, p.end_date,
    f.basis, f.value, f.unit, f.currency, f.decimals, f.value_text, f.evidence, f.rule_id,
    f.dq_warning, f.dq_warnings, f.extractor_version
FROM fact_metric f
JOIN dim_document d ON d.note_id = f.note_id
JOIN dim_company c ON c.company_key = f.company_key
LEFT JOIN dim_metric m ON m.metric_code = f.metric_code
LEFT JOIN dim_segment s ON s.segment_code = f.segment_code
LEFT JOIN dim_period p ON p.period_label = f.period_label;
