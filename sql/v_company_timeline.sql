-- v_company_timeline: what each note said about each company, in date order (grain: company x note):
-- counts of actual / estimate facts, the latest whole-company revenue the note reports, and its ratings.
CREATE OR REPLACE VIEW v_company_timeline AS
WITH company_note AS (
    SELECT company_key, note_id FROM fact_metric
    UNION
    SELECT company_key, note_id FROM fact_rating
),
fact_counts AS (
    SELECT company_key, note_id,
        count(*) AS n_facts,
        count(*) FILTER (WHERE basis = 'actual') AS n_actual,
        count(*) FILTER (WHERE basis IN ('estimate', 'prior_estimate')) AS n_estimate,
        count(DISTINCT metric_code) AS n_metrics
    FROM v_fact_detail
    GROUP BY company_key, note_id
),
latest_revenue AS (
    -- the latest whole-company revenue period the note reports; CNY first when it also gives USD
    SELECT company_key, note_id, period_label, value, unit
    FROM v_fact_detail
    WHERE metric_code = 'revenue' AND segment_code = '' AND measure = 'level' AND basis = 'actual'
    QUALIFY row_number() OVER (
        PARTITION BY company_key, note_id ORDER BY end_date DESC NULLS LAST, unit = 'CNY' DESC, unit, value
    ) = 1
),
rating_summary AS (
    SELECT note_id, company_key,
        string_agg(DISTINCT coalesce(institution, '?') || ': ' || coalesce(rating_zh, rating, '?'), '; ')
            AS ratings,
        max(target_price) AS target_price,
        any_value(currency) AS target_currency
    FROM v_ratings
    GROUP BY note_id, company_key
)
SELECT
    c.company_key, c.company_name, d.published_at, CAST(d.published_at AS DATE) AS published_date,
    d.source_file, d.title, d.publisher, d.kind,
    coalesce(fc.n_facts, 0) AS n_facts, coalesce(fc.n_actual, 0) AS n_actual,
    coalesce(fc.n_estimate, 0) AS n_estimate, coalesce(fc.n_metrics, 0) AS n_metrics,
    lr.period_label AS latest_revenue_period, lr.value AS latest_revenue, lr.unit AS latest_revenue_unit,
    rs.ratings, rs.target_price, rs.target_currency,
    d.note_id
FROM company_note cn
JOIN dim_company c ON c.company_key = cn.company_key
JOIN dim_document d ON d.note_id = cn.note_id
LEFT JOIN fact_counts fc ON fc.company_key = cn.company_key AND fc.note_id = cn.note_id
LEFT JOIN latest_revenue lr ON lr.company_key = cn.company_key AND lr.note_id = cn.note_id
LEFT JOIN rating_summary rs ON rs.company_key = cn.company_key AND rs.note_id = cn.note_id;
