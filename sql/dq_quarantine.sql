-- dq_quarantine: one row per distinct rejected input or row (grain: stage x file x note x check x row).
-- quarantine_id = md5 of that key, so the same bad file seen on every run stays one row
-- (first_run_id / last_run_id / times_seen record the history).
CREATE TABLE IF NOT EXISTS dq_quarantine (
    quarantine_id VARCHAR PRIMARY KEY,
    stage         VARCHAR,   -- ingest | extract | validate | load
    source_file   VARCHAR,
    note_id       VARCHAR,
    check_name    VARCHAR,
    severity      VARCHAR,
    reason        VARCHAR,
    row_json      VARCHAR,
    first_run_id  VARCHAR,
    last_run_id   VARCHAR,
    times_seen    INTEGER
);
