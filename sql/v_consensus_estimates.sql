-- v_consensus_estimates: broker consensus per company x metric x segment x measure x fiscal year x unit
-- (FY estimates only): each institution's latest estimate only (a range in one note counts as its
-- midpoint), then number of institutions, mean, median, min, max and the latest estimate date.
CREATE OR REPLACE VIEW v_consensus_estimates AS
WITH per_note AS (
    SELECT company_key, metric_code, segment_code, measure, fiscal_year, period_label, unit,
        institution, note_id, published_at, avg(value) AS value
    FROM v_fact_detail
    WHERE basis = 'estimate' AND period_type = 'FY'
    GROUP BY ALL
),
latest AS (
    SELECT * FROM per_note
    QUALIFY row_number() OVER (
        PARTITION BY company_key, metric_code, segment_code, measure, period_label, unit, institution
        ORDER BY published_at DESC NULLS LAST, note_id
    ) = 1
)
SELECT
    l.company_key, c.company_name, l.metric_code, l.segment_code, l.measure, l.fiscal_year, l.period_label,
    l.unit,
    count(*) AS n_institutions,
    avg(l.value) AS mean_estimate,
    median(l.value) AS median_estimate,
    min(l.value) AS min_estimate,
    max(l.value) AS max_estimate,
    max(l.published_at) AS latest_date,
    string_agg(l.institution, ', ' ORDER BY l.institution) AS institutions
FROM latest l
JOIN dim_company c ON c.company_key = l.company_key
GROUP BY l.company_key, c.company_name, l.metric_code, l.segment_code, l.measure, l.fiscal_year,
    l.period_label, l.unit;
