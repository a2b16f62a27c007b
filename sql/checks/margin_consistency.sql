-- check: cross.margin_consistency
-- severity: warning
-- description: a margin agrees with profit / revenue when margin, profit and revenue are all known
-- Pairs come from notestar/quality/margin_pairs.csv (margin_pairs). A margin fails only when no known
-- profit / revenue pair reproduces it within the rounding of the three numbers plus 0.1 point.
-- Partner levels: an actual may be reproduced by the levels of any note (distinct value and precision
-- per key, so n notes quoting one figure count once); an estimate only by the levels of its own note (a
-- broker's margin or growth follows from its own model; pairing brokers' estimates is no consistency test,
-- and with n brokers per key it is n^2-n^3 combinations: hours at 100k notes).
WITH levels AS (
    SELECT company_name, metric_code, segment_code, period_label, basis, unit, value, decimals,
           CASE WHEN basis = 'actual' THEN '' ELSE note_id END AS note_key,
           min(coalesce(value_text, CAST(value AS VARCHAR))) AS value_text
    FROM facts WHERE measure = 'level'
    GROUP BY ALL
),
-- Margin rows are judged once per distinct (key, value, precision): fifty notes quoting one margin are one test.
margin_rows AS (
    SELECT f.row_idx, f.company_name, f.segment_code, f.period_label, f.basis, f.value, f.decimals,
           coalesce(f.decimals, -99) AS dkey, mp.profit_code, mp.revenue_code,
           CASE WHEN f.basis = 'actual' THEN '' ELSE f.note_id END AS note_key
    FROM facts f JOIN margin_pairs mp ON mp.margin_code = f.metric_code
    WHERE f.row_idx IS NOT NULL AND f.measure = 'level' AND f.unit = '%'
),
margin AS (
    SELECT DISTINCT company_name, segment_code, period_label, basis, value, decimals, dkey, profit_code,
           revenue_code, note_key
    FROM margin_rows
),
combos AS (
    SELECT m.company_name, m.segment_code, m.period_label, m.basis, m.value, m.dkey, m.profit_code,
           m.revenue_code, m.note_key,
           m.value AS stated,
           100 * p.value / r.value AS implied,
           half_unit(m.value, m.decimals)
             + abs(100 * p.value / r.value)
               * (half_unit(p.value, p.decimals) / greatest(abs(p.value), 1e-9)
                  + half_unit(r.value, r.decimals) / r.value)
             + 0.1 AS tol,
           coalesce(p.value_text, CAST(p.value AS VARCHAR)) AS profit_text,
           coalesce(r.value_text, CAST(r.value AS VARCHAR)) AS revenue_text
    FROM margin m
    JOIN levels p
      ON p.company_name = m.company_name AND p.metric_code = m.profit_code AND p.segment_code = m.segment_code
     AND p.period_label = m.period_label AND p.basis = m.basis AND p.note_key = m.note_key
    JOIN levels r
      ON r.company_name = m.company_name AND r.metric_code = m.revenue_code AND r.segment_code = m.segment_code
     AND r.period_label = m.period_label AND r.basis = m.basis AND r.unit = p.unit AND r.note_key = p.note_key
    WHERE r.value > 0
),
verdict AS (
    SELECT company_name, segment_code, period_label, basis, value, dkey, profit_code, revenue_code, note_key,
           min(abs(stated - implied) - tol) > 0 AS failed,
           CASE WHEN min(abs(stated - implied) - tol) > 0 THEN
               printf('margin %.2f%% but profit %s / revenue %s = %.2f%%',
                      arg_min(stated, abs(stated - implied) - tol), arg_min(profit_text, abs(stated - implied) - tol),
                      arg_min(revenue_text, abs(stated - implied) - tol),
                      arg_min(implied, abs(stated - implied) - tol))
           END AS reason
    FROM combos
    GROUP BY company_name, segment_code, period_label, basis, value, dkey, profit_code, revenue_code, note_key
)
SELECT mr.row_idx, v.failed, v.reason
FROM margin_rows mr
JOIN verdict v
  USING (company_name, segment_code, period_label, basis, value, dkey, profit_code, revenue_code, note_key)
