-- dq_run: one row per pipeline run that reached the load (grain: run). An audit log: every run adds a row,
-- even when it loads nothing new.
CREATE TABLE IF NOT EXISTS dq_run (
    run_id            VARCHAR PRIMARY KEY,
    started_at        TIMESTAMP,
    finished_at       TIMESTAMP,
    extractor_version VARCHAR,
    full_refresh      BOOLEAN,
    notes_seen        BIGINT,   -- notes read this run, skipped ones included
    notes_loaded      BIGINT,   -- new or re-processed notes written
    notes_reprocessed BIGINT,   -- of those, notes that were already in the warehouse
    facts_loaded      BIGINT,
    ratings_loaded    BIGINT,
    quarantined       BIGINT,   -- quarantine rows reported by this run
    checks_evaluated  BIGINT,
    checks_failed     BIGINT
);
