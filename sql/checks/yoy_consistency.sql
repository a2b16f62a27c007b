-- check: cross.yoy_consistency
-- severity: warning
-- description: a stated yoy growth agrees with the two levels a year apart when both are known
-- implied = 100 * (level(P) / level(P-1y) - 1), only from a positive base; the tolerance adds the stated
-- growth's own rounding, the levels' rounding carried through the ratio, and half a point of slack.
-- A yoy fails only when no pair of known levels reproduces it (see "Partner levels" below).
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
growth AS (
    SELECT * FROM facts WHERE row_idx IS NOT NULL AND measure = 'yoy' AND unit = '%' AND prior_label IS NOT NULL
),
combos AS (
    SELECT g.row_idx, g.value AS stated,
           100 * (c.value / p.value - 1) AS implied,
           half_unit(g.value, g.decimals)
             + 100 * abs(c.value / p.value)
               * (half_unit(c.value, c.decimals) / greatest(abs(c.value), 1e-9)
                  + half_unit(p.value, p.decimals) / p.value)
             + 0.5 AS tol,
           coalesce(c.value_text, CAST(c.value AS VARCHAR)) AS cur_text,
           coalesce(p.value_text, CAST(p.value AS VARCHAR)) AS prior_text,
           g.period_label, g.prior_label
    FROM growth g
    JOIN levels c
      ON c.company_name = g.company_name AND c.metric_code = g.metric_code AND c.segment_code = g.segment_code
     AND c.period_label = g.period_label AND c.basis = g.basis
     AND c.note_key = CASE WHEN g.basis = 'actual' THEN '' ELSE g.note_id END
    JOIN levels p
      ON p.company_name = g.company_name AND p.metric_code = g.metric_code AND p.segment_code = g.segment_code
     AND p.period_label = g.prior_label AND p.unit = c.unit
     -- the base: a reported actual (any note), or for an estimate the same note's estimate of the prior year
     AND (p.basis = 'actual' OR (g.basis <> 'actual' AND p.basis = g.basis AND p.note_key = g.note_id))
    WHERE p.value > 0
)
SELECT row_idx,
       min(abs(stated - implied) - tol) > 0 AS failed,
       CASE WHEN min(abs(stated - implied) - tol) > 0 THEN
           printf('stated yoy %.2f%% but levels %s (%s) and %s (%s) imply %.2f%%',
                  arg_min(stated, abs(stated - implied) - tol), arg_min(cur_text, abs(stated - implied) - tol),
                  arg_min(period_label, abs(stated - implied) - tol),
                  arg_min(prior_text, abs(stated - implied) - tol),
                  arg_min(prior_label, abs(stated - implied) - tol),
                  arg_min(implied, abs(stated - implied) - tol))
       END AS reason
FROM combos
GROUP BY row_idx
