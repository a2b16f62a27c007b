"""The three GX suites as data: one `Check` per expectation, named, with a severity.

The specs are plain Python (no GX import) so they can be listed and tested cheaply; `gx_runner` turns
them into GX expectation objects and writes the suite JSON files in `expectations/`.
Domains (metric codes, segments, units) come from the lexicon, so a new lexicon entry needs no code.

Row conditions (`when`: column == value, all of them) become GX Condition objects over derived columns
added by `frames.py`
(`value_type`, `measure_class`, `unit_key`, `period_key`, `days_after_pub`, ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..lexicon import Lexicon
from ..schemas import FACTS, NOTES, RATINGS

ERROR = "error"  # failing rows go to quarantine
WARNING = "warning"  # failing rows are loaded, flagged

MEASURES = ["level", "yoy", "qoq", "yoy_pp", "qoq_pp"]
BASES = ["actual", "estimate", "prior_estimate"]
PERIOD_TYPES = ["FY", "H", "Q", "9M", "instant"]
PERIOD_KEY_REGEX = (
    r"^(?:FY\|FY[0-9]{4}|H\|[0-9]{4}H[12]|Q\|[0-9]{4}Q[1-4]|9M\|[0-9]{4}Q1-Q3"
    r"|instant\|[0-9]{4}-[0-9]{2}-[0-9]{2})$"
)
TICKER_REGEX = r"^(?:[0-9]{6}\.(?:SH|SZ|BJ)|[0-9]{4,5}\.HK|[A-Z][A-Z.]{0,5})$"
KINDS = ["news", "broker_report", "minutes", "flash", "article", "filing", "pdf_report", "unknown"]
LANGUAGES = ["zh", "en"]
ACTIONS = ["maintain", "upgrade", "downgrade", "initiate", "unknown"]
DEFAULT_RATINGS = ["strong_buy", "buy", "outperform", "overweight", "accumulate", "add", "neutral", "hold",
                   "market_perform", "underweight", "underperform", "reduce", "sell"]

# Period sanity: an estimate whose period ended this many days before the note is "years in the past".
ESTIMATE_MAX_AGE_DAYS = 540
# Value ranges by value type (normalised units: whole currency, % points, multiples).
AMOUNT_ABS_MAX = 5e13  # 50万亿: beyond any listed company; a doubled scale lands here
PER_SHARE_RANGE = (-1e4, 1e6)
RATIO_RANGE = (-1000.0, 100.0)  # a margin or share can be very negative, never above 100 %
GROWTH_RANGE = (-1000.0, 10000.0)
PP_CHANGE_RANGE = (-200.0, 200.0)
MULTIPLE_RANGE = (-5000.0, 5000.0)
COUNT_RANGE = (0.0, 1e13)


@dataclass(frozen=True)
class Check:
    name: str  # stable id, e.g. gx.metric_facts.unit_in_set
    table: str  # documents | metric_facts | ratings
    severity: str  # error | warning
    expectation: str  # GX expectation class name
    kwargs: dict = field(default_factory=dict)
    description: str = ""
    when: tuple[tuple[str, object], ...] = ()  # row condition: every column == value
    keep_first: bool = False  # uniqueness: the first row of a duplicated key is valid, later ones are not

    @property
    def column(self) -> str | None:
        return self.kwargs.get("column") or self.kwargs.get("column_A")


def _polars_to_pandas_types(dtype) -> list[str]:
    """pandas dtype names a contract column may arrive as (ints with nulls become float64)."""
    name = str(dtype)
    if name.startswith(("Int", "UInt")):
        return ["int8", "int16", "int32", "int64", "float64"]
    if name.startswith("Float"):
        return ["float32", "float64"]
    if name.startswith("Datetime"):
        return ["datetime64[us]", "datetime64[ns]", "datetime64[ms]", "datetime64[s]"]
    if name == "Date":
        return ["datetime64[ms]", "datetime64[s]", "datetime64[us]", "datetime64[ns]", "object"]
    if name == "Boolean":
        return ["bool", "object"]
    return ["str"]


def _schema_checks(table: str, schema: dict, skip_types: set[str] = frozenset()) -> list[Check]:
    checks = [Check(f"gx.{table}.columns_present", table, ERROR, "ExpectTableColumnsToMatchSet",
                    {"column_set": list(schema), "exact_match": False},
                    "every contract column is present")]
    for col, dtype in schema.items():
        if col in skip_types:
            continue
        types = _polars_to_pandas_types(dtype)
        # pandas 3 strings are StringDtype, which only ExpectColumnValuesToBeOfType("str") recognises
        kind, kwargs = (("ExpectColumnValuesToBeOfType", {"column": col, "type_": "str"}) if types == ["str"]
                        else ("ExpectColumnValuesToBeInTypeList", {"column": col, "type_list": types}))
        checks.append(Check(f"gx.{table}.{col}_type", table, ERROR, kind, kwargs,
                            f"{col} has the contract type {dtype}"))
    return checks


def _not_null(table: str, cols: list[str], severity: str = ERROR) -> list[Check]:
    return [Check(f"gx.{table}.{c}_not_null", table, severity, "ExpectColumnValuesToNotBeNull",
                  {"column": c}, f"{c} is present") for c in cols]


def _between(name: str, table: str, severity: str, column: str, lo, hi, when: tuple,
             description: str) -> Check:
    return Check(name, table, severity, "ExpectColumnValuesToBeBetween",
                 {"column": column, "min_value": lo, "max_value": hi}, description, when)


def allowed_unit_keys(lex: Lexicon) -> list[str]:
    """value_type|measure_class|unit combinations that make sense."""
    currencies = sorted(set(lex.units.get("currencies", {}).values()) or {"CNY", "USD", "HKD"})
    keys = [f"amount|level|{c}" for c in currencies] + [f"per_share|level|{c}" for c in currencies]
    keys += ["ratio|level|%", "ratio|pp_change|pp", "multiple|level|x", "count|level|shares", "count|level|count"]
    keys += [f"{vt}|change|%" for vt in ("amount", "per_share", "ratio", "multiple", "count")]
    return keys


def all_units(lex: Lexicon) -> list[str]:
    u = lex.units
    units = set(u.get("currencies", {}).values()) | set(u.get("ratio_units", {}).values())
    units |= set(u.get("count_units", {}).values()) | {"count"}
    return sorted(units)


def metric_fact_checks(lex: Lexicon) -> list[Check]:
    t = "metric_facts"
    checks = _schema_checks(t, FACTS)
    checks += _not_null(t, ["note_id", "company_name", "metric_code", "segment_code", "measure", "period_label",
                            "period_type", "basis", "value", "unit"])
    checks += _not_null(t, ["evidence", "value_text"], WARNING)
    segments = [*lex.segments["code"].to_list(), ""]
    checks += [
        Check(f"gx.{t}.metric_code_in_lexicon", t, ERROR, "ExpectColumnValuesToBeInSet",
              {"column": "metric_code", "value_set": lex.metrics["code"].to_list()},
              "metric code is one of dim_metric's codes (lexicon/metrics.csv)"),
        Check(f"gx.{t}.segment_code_in_lexicon", t, WARNING, "ExpectColumnValuesToBeInSet",
              {"column": "segment_code", "value_set": segments}, "segment code is in lexicon/segments.csv"),
        Check(f"gx.{t}.measure_in_set", t, ERROR, "ExpectColumnValuesToBeInSet",
              {"column": "measure", "value_set": MEASURES}, "measure is a known measure"),
        Check(f"gx.{t}.basis_in_set", t, ERROR, "ExpectColumnValuesToBeInSet",
              {"column": "basis", "value_set": BASES}, "basis is actual, estimate or prior_estimate"),
        Check(f"gx.{t}.period_type_in_set", t, ERROR, "ExpectColumnValuesToBeInSet",
              {"column": "period_type", "value_set": PERIOD_TYPES}, "period type is known"),
        Check(f"gx.{t}.period_label_format", t, ERROR, "ExpectColumnValuesToMatchRegex",
              {"column": "period_key", "regex": PERIOD_KEY_REGEX}, "period label is well formed for its type"),
        Check(f"gx.{t}.unit_in_set", t, ERROR, "ExpectColumnValuesToBeInSet",
              {"column": "unit", "value_set": all_units(lex)}, "unit is a normalised unit from units.yaml"),
        Check(f"gx.{t}.unit_matches_value_type", t, ERROR, "ExpectColumnValuesToBeInSet",
              {"column": "unit_key", "value_set": allowed_unit_keys(lex)},
              "unit fits the metric's value type and the measure (amount->currency, ratio->%, change->%...)",
              (("metric_known", True),)),
        Check(f"gx.{t}.company_ticker_format", t, WARNING, "ExpectColumnValuesToMatchRegex",
              {"column": "company_ticker", "regex": TICKER_REGEX}, "ticker is a canonical listing code"),
        _between(f"gx.{t}.ratio_range", t, ERROR, "value", *RATIO_RANGE,
                 (("value_type", "ratio"), ("measure_class", "level")),
                 f"a margin / ratio level lies in [{RATIO_RANGE[0]:g}, {RATIO_RANGE[1]:g}] %"),
        _between(f"gx.{t}.growth_range", t, WARNING, "value", *GROWTH_RANGE, (("measure_class", "change"),),
                 f"a growth rate lies in [{GROWTH_RANGE[0]:g}, {GROWTH_RANGE[1]:g}] %"),
        _between(f"gx.{t}.pp_change_range", t, ERROR, "value", *PP_CHANGE_RANGE, (("measure_class", "pp_change"),),
                 f"a change in percentage points lies in [{PP_CHANGE_RANGE[0]:g}, {PP_CHANGE_RANGE[1]:g}]"),
        _between(f"gx.{t}.multiple_range", t, WARNING, "value", *MULTIPLE_RANGE,
                 (("value_type", "multiple"), ("measure_class", "level")),
                 f"a valuation multiple lies in [{MULTIPLE_RANGE[0]:g}, {MULTIPLE_RANGE[1]:g}] x"),
        _between(f"gx.{t}.per_share_range", t, ERROR, "value", *PER_SHARE_RANGE,
                 (("value_type", "per_share"), ("measure_class", "level")),
                 f"a per-share amount lies in [{PER_SHARE_RANGE[0]:g}, {PER_SHARE_RANGE[1]:g}]"),
        _between(f"gx.{t}.amount_range", t, ERROR, "value", -AMOUNT_ABS_MAX, AMOUNT_ABS_MAX,
                 (("value_type", "amount"), ("measure_class", "level")),
                 f"an amount lies within ±{AMOUNT_ABS_MAX:g} (scale applied twice?)"),
        _between(f"gx.{t}.count_range", t, ERROR, "value", *COUNT_RANGE,
                 (("value_type", "count"), ("measure_class", "level")), "a share count is positive and plausible"),
        _between(f"gx.{t}.decimals_range", t, WARNING, "decimals", -12, 6, (),
                 "decimals (precision as written) lies in [-12, 6]"),
        _between(f"gx.{t}.actual_not_after_publication", t, ERROR, "days_after_pub", None, 0,
                 (("basis", "actual"),), "an actual's period cannot end after the note's publication date"),
        _between(f"gx.{t}.estimate_not_years_old", t, ERROR, "days_after_pub", -ESTIMATE_MAX_AGE_DAYS, None,
                 (("basis", "estimate"),),
                 f"an estimate's period cannot end more than {ESTIMATE_MAX_AGE_DAYS} days before the note"),
        Check(f"gx.{t}.span_order", t, WARNING, "ExpectColumnPairValuesAToBeGreaterThanB",
              {"column_A": "span_end", "column_B": "span_start", "or_equal": False,
               "ignore_row_if": "either_value_is_missing"}, "span_end > span_start"),
        Check(f"gx.{t}.fact_key_unique", t, ERROR, "ExpectCompoundColumnsToBeUnique",
              {"column_list": ["note_id", "company_name", "metric_code", "segment_code", "measure", "period_label",
                               "basis", "unit", "value"]},
              "a fact (key and value) appears once per note; repeats after the first are quarantined",
              keep_first=True),
    ]
    return checks


def document_checks() -> list[Check]:
    t = "documents"
    checks = _schema_checks(t, NOTES)
    checks += _not_null(t, ["note_id", "source_file"])
    checks += [
        Check(f"gx.{t}.note_id_unique", t, WARNING, "ExpectColumnValuesToBeUnique", {"column": "note_id"},
              "each note appears once in the batch"),
        Check(f"gx.{t}.published_at_not_null", t, WARNING, "ExpectColumnValuesToNotBeNull",
              {"column": "published_at"}, "the note has a date (period sanity needs it)"),
        _between(f"gx.{t}.has_company", t, WARNING, "n_companies", 1, None, (),
                 "at least one company is named in the note's facts or ratings"),
        _between(f"gx.{t}.fact_count", t, WARNING, "n_facts", 1, 5000, (),
                 "the number of facts extracted from the note lies in [1, 5000]"),
        Check(f"gx.{t}.kind_in_set", t, WARNING, "ExpectColumnValuesToBeInSet",
              {"column": "kind", "value_set": KINDS}, "kind is a known note kind"),
        Check(f"gx.{t}.language_in_set", t, WARNING, "ExpectColumnValuesToBeInSet",
              {"column": "language", "value_set": LANGUAGES}, "language is zh or en"),
    ]
    return checks


def rating_checks(lex: Lexicon) -> list[Check]:
    t = "ratings"
    words = lex.ratings or {}
    codes = set(DEFAULT_RATINGS)
    for section in words.values() if isinstance(words, dict) else []:
        if isinstance(section, dict):
            codes |= {v for v in section.values() if isinstance(v, str)}
    currencies = sorted(set(lex.units.get("currencies", {}).values()) or {"CNY", "USD", "HKD"})
    checks = _schema_checks(t, RATINGS)
    checks += _not_null(t, ["note_id", "company_name"])
    checks += [
        Check(f"gx.{t}.rating_or_target_present", t, ERROR, "ExpectColumnValuesToBeInSet",
              {"column": "has_content", "value_set": [True]}, "a rating or a target price is given"),
        Check(f"gx.{t}.rating_in_set", t, WARNING, "ExpectColumnValuesToBeInSet",
              {"column": "rating", "value_set": sorted(codes)}, "rating is a known rating code"),
        Check(f"gx.{t}.action_in_set", t, WARNING, "ExpectColumnValuesToBeInSet",
              {"column": "action", "value_set": ACTIONS}, "action is maintain/upgrade/downgrade/initiate"),
        Check(f"gx.{t}.target_price_range", t, ERROR, "ExpectColumnValuesToBeBetween",
              {"column": "target_price", "min_value": 0, "max_value": PER_SHARE_RANGE[1], "strict_min": True},
              "a target price is positive and plausible"),
        Check(f"gx.{t}.currency_in_set", t, ERROR, "ExpectColumnValuesToBeInSet",
              {"column": "currency", "value_set": currencies}, "a target price has a known currency",
              (("has_target", True),)),
        _between(f"gx.{t}.rating_date_not_after_publication", t, WARNING, "days_after_pub", None, 1, (),
                 "a rating is not dated after the note"),
        Check(f"gx.{t}.rating_key_unique", t, ERROR, "ExpectCompoundColumnsToBeUnique",
              {"column_list": ["note_id", "company_name", "institution", "rating", "target_price", "currency"]},
              "a rating appears once per note; repeats after the first are quarantined", keep_first=True),
    ]
    return checks


def all_checks(lex: Lexicon) -> dict[str, list[Check]]:
    return {"documents": document_checks(), "metric_facts": metric_fact_checks(lex), "ratings": rating_checks(lex)}
