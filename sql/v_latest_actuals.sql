-- v_latest_actuals: one best reported value per company x metric x segment x measure x period x unit
-- (actuals only): the most precise source (highest decimals), then the most recent note; n_sources counts
-- the notes that report it, and sources_agree is true when every source's value rounds to the best one
-- (|v - best| <= half a unit of v's own precision; 1e-6 relative when the precision is unknown).
CREATE OR REPLACE VIEW v_latest_actuals AS
WITH a AS (
    SELECT *,
        CASE WHEN decimals IS NULL THEN abs(value) * 1e-6
             ELSE 0.5 * pow(10, -decimals) END AS tolerance
    FROM v_fact_detail
    WHERE basis = 'actual'
),
best AS (
    SELECT * FROM a
    QUALIFY row_number() OVER (
        PARTITION BY company_key, metric_code, segment_code, measure, period_label, unit
        ORDER BY decimals DESC NULLS LAST, published_at DESC NULLS LAST, fact_id
    ) = 1
),
agg AS (
    SELECT a.company_key, a.metric_code, a.segment_code, a.measure, a.period_label, a.unit,
        count(DISTINCT a.note_id) AS n_sources,
        count(DISTINCT a.value) AS n_values,
        min(a.value) AS min_value,
        max(a.value) AS max_value,
        bool_and(abs(a.value - b.value) <= a.tolerance + 1e-9 * abs(b.value)) AS sources_agree
    FROM a
    JOIN best b USING (company_key, metric_code, segment_code, measure, period_label, unit)
    GROUP BY ALL
)
SELECT
    b.company_key, b.company_name, b.company_ticker, b.metric_code, b.segment_code, b.measure,
    b.period_label, b.period_type, b.fiscal_year, b.fiscal_quarter, b.start_date, b.end_date,
    b.value, b.unit, b.decimals, b.value_text,
    agg.n_sources, agg.n_values, agg.min_value, agg.max_value, agg.sources_agree,
    b.source_file, b.note_id, b.publisher, b.published_at, b.evidence
FROM best b
JOIN agg USING (company_key, metric_code, segment_code, measure, period_label, unit);
