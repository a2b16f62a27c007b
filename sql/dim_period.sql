-- dim_period: one row per period label (grain: reporting period). Calendar fiscal years are assumed
-- (Chinese and HK issuers report on December year-ends); 'instant' periods are single dates.
CREATE TABLE IF NOT EXISTS dim_period (
    period_label   VARCHAR PRIMARY KEY,  -- FY2025 | 2025H1 | 2025Q3 | 2025Q1-Q3 | YYYY-MM-DD
    period_type    VARCHAR,              -- FY | H | Q | 9M | instant
    fiscal_year    INTEGER,
    fiscal_quarter INTEGER,              -- 1-4 for Q periods, else null
    fiscal_half    INTEGER,              -- 1-2 for H periods, else null
    start_date     DATE,
    end_date       DATE,
    months         INTEGER               -- length in months (0 for instant)
);
