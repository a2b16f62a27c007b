-- Question: what has been written about each company, in date order, and what did each note say?
SELECT
    company_name,
    published_date,
    publisher,
    kind,
    title,
    n_actual,
    n_estimate,
    latest_revenue_period,
    round(latest_revenue / 1e8, 2) AS latest_revenue_100m,
    latest_revenue_unit,
    ratings,
    target_price,
    target_currency,
    source_file
FROM v_company_timeline
ORDER BY company_name, published_at, source_file;
