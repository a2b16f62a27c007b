-- dim_document: one row per research note (grain: note; a file may hold several notes), keyed on the
-- content hash of the note text. The text itself is not stored; facts carry their evidence sentences.
CREATE TABLE IF NOT EXISTS dim_document (
    note_id            VARCHAR PRIMARY KEY,  -- sha256 of the note's normalised text
    source_file        VARCHAR NOT NULL,     -- basename of the input file
    source_path        VARCHAR,
    file_hash          VARCHAR,
    note_index         INTEGER,
    title              VARCHAR,
    publisher          VARCHAR,              -- institution / outlet; the estimating institution for forecasts
    published_at       TIMESTAMP,
    published_date_key INTEGER,              -- -> dim_date.date_key
    kind               VARCHAR,
    language           VARCHAR,
    text_chars         BIGINT,
    extractor_version  VARCHAR,
    first_run_id       VARCHAR,
    loaded_run_id      VARCHAR
);
