-- Question: how did the recent loads go: notes read and loaded, facts, checks failed, rows quarantined?
SELECT
    r.run_id,
    r.started_at,
    r.notes_seen,
    r.notes_loaded,
    r.notes_reprocessed,
    r.facts_loaded,
    r.ratings_loaded,
    r.checks_evaluated,
    r.checks_failed,
    r.quarantined,
    (SELECT string_agg(q.check_name, ', ' ORDER BY q.check_name)
       FROM dq_result q WHERE q.run_id = r.run_id AND NOT q.success) AS failed_checks
FROM dq_run r
ORDER BY r.started_at DESC, r.run_id DESC
LIMIT 20;
