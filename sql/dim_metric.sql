-- dim_metric: one row per metric code (grain: metric). Codes come from notestar/lexicon/metrics.csv
-- (a superset of the scoring gold's codes); codes seen in facts but missing from the lexicon get source 'fact'.
CREATE TABLE IF NOT EXISTS dim_metric (
    metric_code VARCHAR PRIMARY KEY,
    name_zh     VARCHAR,
    name_en     VARCHAR,
    category    VARCHAR,   -- income | balance | cash_flow | per_share | ratio | market | valuation ...
    value_type  VARCHAR,   -- amount | ratio | per_share | multiple | count ...
    source      VARCHAR    -- lexicon | fact
);
