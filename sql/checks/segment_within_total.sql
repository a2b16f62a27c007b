-- check: cross.segment_within_total
-- severity: warning
-- description: a segment's amount does not exceed the company total for the same metric and period
-- Compared with the largest total known for the key (any note), each widened by its rounding.
WITH seg AS (
    SELECT f.* FROM facts f JOIN metrics m ON m.code = f.metric_code
    WHERE f.row_idx IS NOT NULL AND f.segment_code <> '' AND f.measure = 'level' AND m.value_type = 'amount'
      AND f.value > 0
),
totals AS (
    SELECT s.row_idx, s.value, s.decimals, s.value_text,
           max(t.value + half_unit(t.value, t.decimals)) AS total_hi,
           arg_max(coalesce(t.value_text, CAST(t.value AS VARCHAR)), t.value) AS total_text
    FROM seg s
    JOIN facts t
      ON t.company_name = s.company_name AND t.metric_code = s.metric_code AND t.segment_code = ''
     AND t.measure = 'level' AND t.period_label = s.period_label AND t.basis = s.basis AND t.unit = s.unit
    GROUP BY ALL
)
SELECT row_idx,
       value - half_unit(value, decimals) > total_hi AS failed,
       CASE WHEN value - half_unit(value, decimals) > total_hi THEN
           printf('segment %s exceeds the company total %s', coalesce(value_text, CAST(value AS VARCHAR)),
                  total_text)
       END AS reason
FROM totals
