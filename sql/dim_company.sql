-- dim_company: one row per company (grain: company), listings merged.
-- company_key is a surrogate key; tickers holds every listing code (03896.HK and KC are one company),
-- aliases every other spelling seen (lexicon aliases and names as written in notes).
CREATE TABLE IF NOT EXISTS dim_company (
    company_key    INTEGER PRIMARY KEY,
    company_name   VARCHAR NOT NULL,   -- canonical Chinese short name, as the notes use it
    name_en        VARCHAR,
    tickers        VARCHAR[],          -- listing codes, canonical form, primary listing first
    primary_ticker VARCHAR,
    aliases        VARCHAR[],
    source         VARCHAR,            -- lexicon | learnt | fact (seen only in a fact / rating)
    updated_run_id VARCHAR
);
