-- v_ratings: every rating / target price with its company, institution and note (grain: one rating statement
-- in one note); rating_date falls back to the note's publication date.
CREATE OR REPLACE VIEW v_ratings AS
SELECT
    d.source_file,
    c.company_name,
    array_to_string(c.tickers, ', ') AS company_ticker,
    coalesce(r.institution, d.publisher) AS institution,
    r.rating,
    r.rating_zh,
    r.action,
    r.target_price,
    r.currency,
    coalesce(r.rating_date, CAST(d.published_at AS DATE)) AS rating_date,
    d.published_at,
    d.title,
    r.evidence,
    r.note_id,
    r.company_key
FROM fact_rating r
JOIN dim_document d ON d.note_id = r.note_id
JOIN dim_company c ON c.company_key = r.company_key;
