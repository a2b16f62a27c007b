-- v_metric_facts: the scoring contract of ../shared/tools/score_extraction.py (grain: one fact in one note):
-- exactly source_file (input basename), company_name (canonical Chinese short name), company_ticker (every
-- listing, comma-separated), metric_code, segment_code ('' = whole company), measure, period_label, basis,
-- value, unit, evidence.
CREATE OR REPLACE VIEW v_metric_facts AS
SELECT
    d.source_file,
    c.company_name,
    array_to_string(c.tickers, ', ') AS company_ticker,
    f.metric_code,
    f.segment_code,
    f.measure,
    f.period_label,
    f.basis,
    f.value,
    f.unit,
    f.evidence
FROM fact_metric f
JOIN dim_document d ON d.note_id = f.note_id
JOIN dim_company c ON c.company_key = f.company_key;
