-- dim_date: one row per calendar day that the warehouse refers to (grain: day): publication dates of
-- notes, rating dates and instant periods. date_key is YYYYMMDD.
CREATE TABLE IF NOT EXISTS dim_date (
    date_key     INTEGER PRIMARY KEY,
    full_date    DATE NOT NULL,
    year         INTEGER,
    quarter      INTEGER,
    month        INTEGER,
    day          INTEGER,
    iso_week     INTEGER,
    day_of_week  INTEGER,   -- ISO: 1 = Monday
    year_quarter VARCHAR,   -- 2025Q3
    year_month   VARCHAR,   -- 2025-09
    is_weekend   BOOLEAN
);
