-- check: cross.source_agreement
-- severity: warning
-- description: the same actual fact from different notes agrees within the precision each note wrote it with
-- Each value stands for the interval value ± half a unit of its last written digit (decimals); two values
-- agree when their intervals overlap (24.8亿 and 24.78亿 agree, 24.8亿 and 25.9亿 do not).
-- Inputs: facts (batch rows have row_idx, warehouse rows have row_idx NULL). Output: row_idx, failed, reason.
WITH pairs AS (
    SELECT a.row_idx,
           abs(a.value - b.value) > half_unit(a.value, a.decimals) + half_unit(b.value, b.decimals) AS conflict,
           -- the text only for conflicting pairs: a key quoted by n notes has n^2 pairs
           CASE WHEN abs(a.value - b.value) > half_unit(a.value, a.decimals) + half_unit(b.value, b.decimals) THEN
               printf('%s in this note vs %s in %s (note %s)', coalesce(a.value_text, CAST(a.value AS VARCHAR)),
                      coalesce(b.value_text, CAST(b.value AS VARCHAR)), coalesce(b.source_file, '?'),
                      left(b.note_id, 12))
           END AS why
    FROM facts a
    JOIN facts b
      ON a.company_name = b.company_name AND a.metric_code = b.metric_code AND a.segment_code = b.segment_code
     AND a.measure = b.measure AND a.period_label = b.period_label AND a.unit = b.unit
     AND b.basis = 'actual' AND a.note_id <> b.note_id
    WHERE a.row_idx IS NOT NULL AND a.basis = 'actual'
)
SELECT row_idx,
       bool_or(conflict) AS failed,
       string_agg(CASE WHEN conflict THEN why END, '; ') AS reason
FROM pairs
GROUP BY row_idx
