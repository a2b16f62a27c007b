-- fact_rating: one row per rating / target-price statement in one note (grain: note x company x institution
-- x rating x action x target price x date). rating_id = md5 of that key.
CREATE TABLE IF NOT EXISTS fact_rating (
    rating_id         VARCHAR PRIMARY KEY,
    note_id           VARCHAR NOT NULL,   -- -> dim_document
    company_key       INTEGER NOT NULL,   -- -> dim_company
    institution       VARCHAR,
    rating            VARCHAR,            -- buy | overweight | neutral | ...
    rating_zh         VARCHAR,
    action            VARCHAR,            -- maintain | upgrade | downgrade | initiate | unknown
    target_price      DOUBLE,
    currency          VARCHAR,
    rating_date       DATE,
    rating_date_key   INTEGER,            -- -> dim_date
    evidence          VARCHAR,
    span_start        BIGINT,
    span_end          BIGINT,
    rule_id           VARCHAR,
    company_name_raw  VARCHAR,
    company_ticker_raw VARCHAR,
    extractor_version VARCHAR,
    run_id            VARCHAR
);
