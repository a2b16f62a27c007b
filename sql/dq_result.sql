-- dq_result: one row per data-quality check evaluated in one run (grain: run x check x table). An audit
-- log like dq_run: each run adds its own results.
CREATE TABLE IF NOT EXISTS dq_result (
    run_id           VARCHAR NOT NULL,   -- -> dq_run
    check_name       VARCHAR NOT NULL,
    table_name       VARCHAR NOT NULL,
    severity         VARCHAR,            -- error | warning
    success          BOOLEAN,
    evaluated        BIGINT,
    failed           BIGINT,
    failing_examples VARCHAR,            -- JSON list of up to 5 failing rows
    description      VARCHAR,
    PRIMARY KEY (run_id, check_name, table_name)
);
