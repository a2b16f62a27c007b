-- dim_segment: one row per business segment code (grain: segment); the row with code '' is the whole company.
-- Codes come from notestar/lexicon/segments.csv; codes seen only in facts get source 'fact'.
CREATE TABLE IF NOT EXISTS dim_segment (
    segment_code VARCHAR PRIMARY KEY,
    name_zh      VARCHAR,
    name_en      VARCHAR,
    source       VARCHAR    -- lexicon | fact | builtin
);
