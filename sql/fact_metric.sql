-- fact_metric: one row per fact as written in one note (grain: note x company x metric x segment x measure
-- x period x basis x unit x value). fact_id = md5 of that key, so re-loading a note never duplicates a fact.
CREATE TABLE IF NOT EXISTS fact_metric (
    fact_id           VARCHAR PRIMARY KEY,
    note_id           VARCHAR NOT NULL,   -- -> dim_document
    company_key       INTEGER NOT NULL,   -- -> dim_company
    metric_code       VARCHAR NOT NULL,   -- -> dim_metric
    segment_code      VARCHAR NOT NULL,   -- -> dim_segment ('' = whole company)
    period_label      VARCHAR NOT NULL,   -- -> dim_period
    measure           VARCHAR NOT NULL,   -- level | yoy | qoq | yoy_pp | qoq_pp
    basis             VARCHAR NOT NULL,   -- actual | estimate | prior_estimate
    value             DOUBLE NOT NULL,
    unit              VARCHAR NOT NULL,   -- CNY | USD | HKD | % | pp | x | shares | count
    currency          VARCHAR,            -- the unit when it is a currency
    decimals          INTEGER,            -- precision as written (XBRL decimals): 24.78亿 -> -6
    value_text        VARCHAR,
    evidence          VARCHAR,
    span_start        BIGINT,
    span_end          BIGINT,
    rule_id           VARCHAR,
    company_name_raw  VARCHAR,            -- company as written in the extracted fact
    company_ticker_raw VARCHAR,
    extractor_version VARCHAR,
    dq_warning        BOOLEAN,
    dq_warnings       VARCHAR,
    run_id            VARCHAR
);
