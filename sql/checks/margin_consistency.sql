-- check: cross.margin_consistency
-- severity: warning
-- description: a margin agrees with profit / revenue when margin, profit and revenue are all known
-- Pairs come from notestar/quality/margin_pairs.csv (margin_pairs). A margin fails only when no known
-- profit / revenue pair (any note) reproduces it within the rounding of the three numbers plus 0.1 point.
WITH margin AS (
    SELECT f.*, mp.profit_code, mp.revenue_code FROM facts f JOIN margin_pairs mp ON mp.margin_code = f.metric_code
    WHERE f.row_idx IS NOT NULL AND f.measure = 'level' AND f.unit = '%'
),
combos AS (
    SELECT m.row_idx, m.value AS stated,
           100 * p.value / r.value AS implied,
           half_unit(m.value, m.decimals)
             + abs(100 * p.value / r.value)
               * (half_unit(p.value, p.decimals) / greatest(abs(p.value), 1e-9)
                  + half_unit(r.value, r.decimals) / r.value)
             + 0.1 AS tol,
           coalesce(p.value_text, CAST(p.value AS VARCHAR)) AS profit_text,
           coalesce(r.value_text, CAST(r.value AS VARCHAR)) AS revenue_text
    FROM margin m
    JOIN facts p
      ON p.company_name = m.company_name AND p.metric_code = m.profit_code AND p.segment_code = m.segment_code
     AND p.measure = 'level' AND p.period_label = m.period_label AND p.basis = m.basis
    JOIN facts r
      ON r.company_name = m.company_name AND r.metric_code = m.revenue_code AND r.segment_code = m.segment_code
     AND r.measure = 'level' AND r.period_label = m.period_label AND r.basis = m.basis AND r.unit = p.unit
    WHERE r.value > 0
)
SELECT row_idx,
       min(abs(stated - implied) - tol) > 0 AS failed,
       CASE WHEN min(abs(stated - implied) - tol) > 0 THEN
           printf('margin %.2f%% but profit %s / revenue %s = %.2f%%',
                  arg_min(stated, abs(stated - implied) - tol), arg_min(profit_text, abs(stated - implied) - tol),
                  arg_min(revenue_text, abs(stated - implied) - tol), arg_min(implied, abs(stated - implied) - tol))
       END AS reason
FROM combos
GROUP BY row_idx
