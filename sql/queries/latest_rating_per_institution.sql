-- Question: what is each institution's latest rating and target price on each company?
SELECT
    company_name,
    company_ticker,
    institution,
    rating,
    rating_zh,
    action,
    target_price,
    currency,
    rating_date,
    source_file
FROM v_ratings
QUALIFY row_number() OVER (
    PARTITION BY company_key, institution ORDER BY rating_date DESC NULLS LAST, published_at DESC NULLS LAST
) = 1
ORDER BY company_name, institution;
