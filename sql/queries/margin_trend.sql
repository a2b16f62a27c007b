-- Question: how have each company's margins (gross, net, adjusted, expense ratio) moved over time?
-- Best reported level of every ratio metric per period, in period order.
SELECT
    l.company_name,
    l.metric_code,
    m.name_zh AS metric_name,
    l.period_label,
    l.period_type,
    l.end_date,
    l.value AS pct,
    l.n_sources,
    l.source_file
FROM v_latest_actuals l
JOIN dim_metric m ON m.metric_code = l.metric_code
WHERE m.value_type = 'ratio' AND l.measure = 'level' AND l.unit = '%'
ORDER BY l.company_name, l.metric_code, l.end_date, l.period_label;
