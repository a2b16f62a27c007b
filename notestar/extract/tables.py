"""Facts from statement tables (Markdown, tab-separated, space-aligned) and key-value boxes.

`extract_table_facts(notes, lexicon)` is the entry point. Notes are split into lines with Polars;
the table walk itself is sequential (a row's meaning depends on the header, title and row above),
so it runs per note in Python over the lines of notes that hold a table-like line.

Conventions (gold README): a year column without E is `actual`, with E `estimate`, period FYyyyy;
growth-rate rows are `yoy` of their metric; cells `(23)` are −23; `-`/`NA` cells are skipped and
zero cells kept; amounts are scaled by the row's or table's unit (百万元 -> 1e6). A table whose columns each
name a period and a metric ("| 机构 | 2025E归母净利润(亿元) | 2025E EPS(元) |", a consensus of brokers) gives every
row's cells as estimates of that metric and year. In a forecast-revision table the earlier forecast
("2026E 调整前" columns, "营业收入（调整前）" rows) is a `prior_estimate`, "2028E 新增" an estimate, and
its 变动 columns or rows (the revision in %) give nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

from notestar import schemas
from notestar.extract.companies import canonical_ticker
from notestar.extract.keyvalue import BOX_HEADING, note_kv_facts
from notestar.extract.metric_labels import MetricLabels, norm_name
from notestar.extract.table_parse import (
    EMPTY_CELLS,
    IGNORED,
    YEAR_TO_DATE,
    Column,
    ReportPeriod,
    UnitSpec,
    arabic_dates,
    change_column,
    clean_cell,
    find_report_period,
    is_markdown_rule,
    normalise_cell,
    parse_relative_header,
    parse_unit,
    parse_value,
    parse_year_header,
    prior_period,
    split_cells,
    split_words,
)

try:  # the package-wide version, when the package defines it
    from notestar.extract import EXTRACTOR_VERSION
except ImportError:  # pragma: no cover - depends on the other modules of the package
    EXTRACTOR_VERSION = "0.1.0"

# A residual line ("其它") directly above a section total belongs to that section.
RESIDUAL_LABELS = {"其它", "其他"}
RESIDUAL_BEFORE = {"operating_cash_flow": "other_operating_cash_flow"}
# Change columns after the period columns of a header ("同比", "YoY(%)", "环比").
GROWTH_COLUMNS = {"同比": "yoy", "同比增长": "yoy", "同比变动": "yoy", "yoy": "yoy", "y/y": "yoy",
                  "环比": "qoq", "环比增长": "qoq", "环比变动": "qoq", "qoq": "qoq", "q/q": "qoq",
                  # a change column that does not say against what: resolved from the period columns
                  "变动": "change", "变动率": "change", "变化": "change", "增减": "change", "增长率": "change",
                  "change": "change", "chg": "change"}
# A filing's statement heading ("3、合并利润表", "2、母公司资产负债表"): the parent-only statements are
# not the group's figures, and the equity-change statement's columns are components, not periods.
_STATEMENT_HEAD = re.compile(r"^\s*(?:[0-9一二三四五六七八九十]+\s*[、.．]\s*)?"
                             r"(?P<what>[^\s，。:：\t]{0,10}(?:资产负债表|利润表|损益表|现金流量表|权益变动表))\s*$")
_OTHER_STATEMENT = re.compile(r"母公司|权益变动表")
_LABEL_ONLY = re.compile(r"[^0-9\t，。,.;；:：、]{4,30}")
_UNIT_ONLY = re.compile(r"[（(][^()（）]{1,8}[)）]")
_TITLE_NOISE = re.compile(r"^[#*\s]+|[#*\s]+$")
# "+1.3pct", "-0.5个百分点", a filing's "增加0.93个百分点" / "减少1.2个百分点"
_POINTS_CELL = re.compile(r"^\s*(?P<word>增加|提高|上升|提升|减少|下降|降低)?\s*([+\-−–]?\s*\d+(?:\.\d+)?)\s*"
                          r"(?:pct|ppts?|pp|个百分点|百分点)\s*$", re.IGNORECASE)
_POINTS_DOWN = ("减少", "下降", "降低")
_FILING_HEADER = re.compile(r"本报告期|上年同期")
# a column header naming a period and a metric: "2025E归母净利润(亿元)", "2026E EPS(元)", "FY25E净利润"
_METRIC_COLUMN = re.compile(r"^(?P<period>(?:19|20)[0-9]{2}[EA]|FY[0-9]{2}[EA]?)(?P<label>[^\d].{1,30})$")
_SOURCE_LINE = re.compile(r"^\s*(资料来源|数据来源|来源|注[:：]|Source)", re.IGNORECASE)


# A forecast-revision row: "营业收入（调整前）" / "归母净利润-原预测" / "EPS (old)" is the earlier forecast (a prior
# estimate; beside an actual column it is the unrestated figure, skipped); "（调整后）" / "（新）" the current one.
_REVISION_ROW = re.compile(
    r"^(?P<base>.+?)\s*(?:[(（\[【]\s*(?P<b>调整前|调整后|原预测|前次预测|上次预测|新预测|本次预测|旧|新|原|"
    r"old|new|prev\.?|previous|current|revised)\s*[)）\]】]|\s*[-_—－]\s*(?P<s>调整前|调整后|原预测|新预测))$",
    re.IGNORECASE)
_PRIOR_MARKS = {"调整前", "原预测", "前次预测", "上次预测", "旧", "原", "old", "prev", "prev.", "previous"}


@dataclass
class _Table:
    columns: list[tuple[int, Column]]  # (cell index in the header row, column)
    n_cells: int
    title: str
    unit: UnitSpec
    index: int
    prev_code: str | None = None
    strict: bool = False  # header has extra non-year columns: rows must align cell for cell
    growth_cols: list = field(default_factory=list)  # (cell index, "yoy"|"qoq") of change columns
    pending: tuple | None = None  # a residual "其它" row waiting for the section total below it
    report: ReportPeriod | None = None  # a filing's report period (relative columns resolve against it)
    dangling: str | None = None  # a filing row's label that wrapped onto its own line
    rows: list[dict] = field(default_factory=list)  # label norm -> code, for context rules
    offset: int = 0  # 1 when the header has no label cell: its rows carry one cell more
    heading: tuple | None = None  # a label-only line above sub-rows: ("eps", unit) / ("attrib", code)
    segment: tuple | None = None  # ("code" or None for a segment with no code,) of "谐波减速器 营业收入" rows
    revision: bool = False  # a row marked 调整前 / 原预测 seen: a bare 变动率 row below revises a forecast


def _header(cells: list[tuple[str, int, int]], positional: bool, report: ReportPeriod | None = None):
    """(period columns, label cell, has extra columns, change columns) of a header row, or None.

    Extra columns after the periods (CAGR, 同比, 环比) are allowed only where cells align by position
    (tab-separated and Markdown rows); a change column (同比/YoY, 环比/QoQ, a filing's 本年比上年增减)
    is the change of the current period. Filing columns (本报告期, 上年同期, 期末余额, 2018年调整后)
    resolve against the report period; a change column may sit between year columns there, and an
    unadjusted column (调整前) is skipped.
    """
    cols, label, extra, other, growth = [], "", False, False, []
    pending = []  # change columns: (cell index, measure, of the year-to-date column)
    for i, (text, _, _) in enumerate(cells):
        if not clean_cell(text):
            continue
        col = parse_year_header(text) or parse_relative_header(text, report)
        if col is IGNORED:
            if not positional:
                return None
            extra = True
            continue
        if col is not None:
            if other:
                return None  # a period after an unknown text column: not one header row
            cols.append((i, col))
        elif i == 0 and not cols:
            label = clean_cell(text)
        elif cols and (positional or (report is not None and change_column(text) is not None)
                       or _trailing_change(cells, i)):
            # tab / Markdown rows align by position; a space-aligned filing table may end with its change column
            extra = True
            kind = norm_name(text).replace("(%)", "").replace("%", "")
            change = change_column(text) if report is not None else None
            if kind in GROWTH_COLUMNS and not (GROWTH_COLUMNS[kind] == "change" and change is not None):
                pending.append((i, GROWTH_COLUMNS[kind], False))
            elif change is not None:
                pending.append((i, *change))
            else:
                other = True
        else:
            return None
    if len(cols) < 2 or len({(c.period_label, c.basis) for _, c in cols}) != len(cols):
        return None
    labels = {c.period_label for _, c in cols}
    revision = any(c.basis == "prior_estimate" for _, c in cols)
    for i, measure, year_to_date in pending:
        target = _change_target(cols, i, year_to_date)
        if measure == "change":
            if revision:
                continue  # "变动" beside 调整前 / 调整后: a revision of the forecast, not a change on a year before
            # "变动" beside 2025年上半年 / 2024年上半年: yoy when the year-earlier column is there, qoq beside
            # the quarter before, else unknown
            measure = ("yoy" if prior_period(target.period_label) in labels
                       else "qoq" if _quarter_before(target.period_label) in labels else None)
            if measure is None:
                continue
        growth.append((i, measure, target))
    return cols, label, extra, growth


def _trailing_change(cells, i: int) -> bool:
    """A space-aligned header may end with change columns ("2025年  2024年  同比变动", "變動"): the cells
    from i to the end are all change-column words."""
    return all(norm_name(t).replace("(%)", "").replace("%", "") in GROWTH_COLUMNS for t, _, _ in cells[i:] if t)


# "截至六月三十日止六個月" / "截至2025年9月30日止九个月" above year columns: the columns are that span of each year
_SPAN_HEAD = re.compile(r"截至(?:[0-9]{4}年)?(?P<month>[0-9]{1,2})月[0-9]{1,2}日止(?P<n>[0-9一二三六九]|十二)个月")
_SPAN_EN = re.compile(r"(?P<n>three|six|nine|twelve)\s+months\s+ended\s+(?:[0-9]{1,2}\s+)?(?P<mon>[a-z]+)", re.I)
_SPANS = {(6, 6): "H1", (12, 6): "H2", (9, 9): "Q1-Q3", (3, 3): "Q1", (6, 3): "Q2", (9, 3): "Q3", (12, 3): "Q4"}


def _span_of(line: str) -> str | None:
    """The part of a year a super-header names (H1, Q1-Q3, Q3), or None."""
    t = arabic_dates(clean_cell(line).replace(" ", "")).replace("個", "个")
    m = _SPAN_HEAD.search(t)
    if m:
        n = {"一": 1, "三": 3, "六": 6, "九": 9, "十二": 12}.get(m["n"]) or int(m["n"])
        return _SPANS.get((int(m["month"]), n))
    m = _SPAN_EN.search(clean_cell(line))
    if m:
        months = ("march", "june", "september", "december")
        mon = next((3 * (k + 1) for k, name in enumerate(months) if m["mon"].lower().startswith(name[:3])), 0)
        n = {"three": 3, "six": 6, "nine": 9, "twelve": 12}[m["n"].lower()]
        return _SPANS.get((mon, n))
    return None


def _quarter_columns(cells, year: int):
    """第一季度 … 第四季度 / Q1 … Q4 with no year: the quarters of the year the table's title names."""
    cols = []
    for i, (text, _, _) in enumerate(cells):
        c = clean_cell(text).replace(" ", "")
        m = re.fullmatch(r"第?([一二三四1-4])季度|Q([1-4])", c)
        if m:
            q = m[1] or m[2]
            n = "一二三四".index(q) + 1 if q in "一二三四" else int(q)
            cols.append((i, Column(f"{year}Q{n}", "Q", "actual", c)))
        elif c and (cols or i > 0):
            return None
    return cols if len(cols) >= 2 else None


_TITLE_YEAR = re.compile(r"((?:19|20)[0-9]{2})\s*年")


def _title_year(recent: list[str]) -> int | None:
    """The one year a table's title line names ("2025年分季度主要财务数据"), skipping 单位 lines."""
    for line in reversed(recent):
        if "单位" in line and len(line.strip()) < 20:
            continue
        years = set(_TITLE_YEAR.findall(line))
        return int(years.pop()) if len(years) == 1 and len(line.strip()) <= 40 else None
    return None


_CHANGE_RATIO = re.compile(r"^(?:变动比例|变动幅度|增减比例|增减幅度|变动率|同比变动)(?:\(%\)|%)?$")


def _change_table(cells) -> int | None:
    """The change column of a filing's 变动原因 header ("项目名称 | 变动比例(%) | 主要原因"), else None."""
    texts = [norm_name(t) for t, _, _ in cells]
    if len(texts) < 2 or not texts[0].startswith("项目"):
        return None
    hits = [i for i, t in enumerate(texts) if _CHANGE_RATIO.match(t)]
    return hits[0] if len(hits) == 1 and any("原因" in t for t in texts) else None


def _dated_balances(cols):
    """Balance columns at 2025-06-30 and 2024-12-31 side by side (an interim statement): both are dates; a
    year-end column alone stays the fiscal year (rule 9)."""
    if not any(c.period_type == "instant" and c.role == "end" for _, c in cols):
        return cols
    return [(i, Column(f"{c.period_label[2:]}-12-31", "instant", c.basis, c.header, "end"))
            if c.role == "end" and c.period_type == "FY" else (i, c) for i, c in cols]


def _quarter_before(label: str) -> str | None:
    m = re.fullmatch(r"((?:19|20)[0-9]{2})Q([1-4])", label)
    if not m:
        return None
    y, q = int(m[1]), int(m[2])
    return f"{y - 1}Q4" if q == 1 else f"{y}Q{q - 1}"


def _change_target(cols: list[tuple[int, Column]], index: int, year_to_date: bool) -> Column:
    """The column a change column compares: the year-to-date one, the current one, else the latest."""
    if year_to_date:
        for _, col in cols:
            if col.header.startswith(YEAR_TO_DATE):
                return col
    for _, col in cols:
        if col.role in ("cur", "end"):
            return col
    return max((col for _, col in cols), key=lambda c: c.period_label)


# "经营溢利／（亏损）", "除所得税前溢利/(亏损)": a label naming the loss as the alternative
_ALTERNATIVE = re.compile(r"\s*[/／]\s*[(（]?\s*(?:亏损|虧損|损失|loss)\s*[)）]?", re.IGNORECASE)
_ATTRIB_HEAD = re.compile(r"(?:以下人士)?应占[:：]?$|^(?:profit|loss)?attributableto:?$")
_OWNER_ROWS = {"本公司拥有人", "本公司股东", "本公司权益持有人", "母公司拥有人", "母公司所有者", "母公司股东",
               "本公司普通股股东", "ownersofthecompany", "equityholdersofthecompany", "shareholdersofthecompany"}
_MINORITY_ROWS = {"非控股权益", "少数股东", "少数股东权益", "non-controllinginterests", "minorityinterests"}
_BASIC_ROWS = {"基本", "基本每股盈利", "基本每股收益", "basic"}
_DILUTED_ROWS = {"摊薄", "攤薄", "稀释", "稀釋", "diluted"}
_TOTAL_WORDS = {"合计", "总计", "合并", "总计合计", "total"}
# words before a metric that do not name a segment ("其中 研发费用", "减 营业成本")
_NOT_SEGMENTS = {"其中", "减", "加", "公司", "本公司", "集团", "本集团"}


_SEGMENT_TABLE = re.compile(r"分业务|分产品|分板块|业务拆分|分部|分行业|收入拆分|分领域|segment", re.IGNORECASE)
_WHOLE_COMPANY = {"公司整体", "整体", "公司合计", "营业总收入", "总收入"}


def _split_segment_label(label: str, labels: MetricLabels) -> list[str]:
    """"谐波减速器收入" in a segment table: [segment, metric] at the longest metric name ending the label."""
    bare = re.sub(r"[(（][^()（）]*[)）]$", "", label)
    for k in range(2, len(bare) - 1):
        m = labels.resolve(bare[k:])
        if m.code is not None and not m.growth:
            return [bare[:k], label[k:]]
    return [label]


def _strip_alternative(label: str) -> str:
    return _ALTERNATIVE.sub("", label)


def _clean_title(line: str) -> str:
    t = clean_cell(_TITLE_NOISE.sub("", line))
    return _TITLE_NOISE.sub("", t)


class _NoteTables:
    """Walk one note's lines and collect table facts as dicts (FACTS columns plus helpers)."""

    def __init__(self, labels: MetricLabels, units: dict, segments: dict | None = None):
        self.labels = labels
        self.units = units
        self.segments = segments or {}  # segment name (normalised) -> code

    def facts(self, note: dict) -> list[dict]:
        text = note["text"] or ""
        out: list[dict] = []
        table: _Table | None = None
        recent: list[str] = []  # non-row lines seen since the last table row, newest last
        n_tables = 0
        pos = 0
        report = find_report_period(text)
        # a write-up of a filing ("2025年半年度报告摘要解读") names the report in its title only: its tables'
        # 本报告期 / 上年同期 columns resolve against it, other tables stay as they are
        titled = report or find_report_period(text, loose=True)
        skipping = False  # inside a filing's parent-only or equity-change statement
        mtable = None  # a table whose columns each name a period and a metric (a forecast summary)
        block_unit = None  # the unit of the last table, for statements printed one after another below it
        ctable = None  # a filing's 变动原因 table: (index of its change column, cells per row)
        lines = text.split("\n")
        for idx, line in enumerate(lines):
            start, pos = pos, pos + len(line) + 1
            if is_markdown_rule(line):
                continue
            cells = split_cells(line)
            positional = "\t" in line or line.lstrip().startswith("|")
            if positional:
                mcols = self._metric_columns(cells)
                if mcols is not None:
                    table, mtable, recent = None, (mcols, len(cells), self._context_title(recent)), []
                    continue
                if mtable is not None:
                    if len(cells) == mtable[1] and cells[0][0]:
                        out.extend(self._metric_column_row(note, mtable, cells, start))
                        continue
                    mtable = None
            if report is not None and positional:
                change_at = _change_table(cells)
                if change_at is not None:
                    table, ctable, recent = None, (change_at, len(cells)), []
                    continue
                if ctable is not None:
                    if len(cells) == ctable[1] and cells[0][0]:
                        out.extend(self._change_row(note, report, cells, ctable[0], start))
                        continue
                    ctable = None
            hdr = _header(cells, positional, report)
            used = report
            if hdr is None and report is None and titled is not None and _FILING_HEADER.search(line):
                hdr, used = _header(cells, positional, titled), titled
            if hdr is None and len(cells) == 1 and (table is None or self._row(line, cells, table) is None):
                # single-space columns (a PDF's text): also a new header inside a table, below a sub-heading
                words = split_words(line)
                hdr = _header(words, False) if len(words) >= 2 else None
                if hdr is not None:
                    cells = words
            if hdr is None and ("季度" in line or re.search(r"\bQ[1-4]\b", line)):
                year = _title_year(recent) if len(cells) >= 3 else None
                qcols = _quarter_columns(cells, year) if year else None
                if qcols:
                    hdr = (qcols, clean_cell(cells[0][0]) if qcols[0][0] else "", False, [])
            if hdr is not None:
                cols, hlabel, extra, growth = hdr
                span = _span_of(recent[-1]) if recent else None
                if span:
                    # columns headed by years under "截至六月三十日止六个月": that part of each year
                    cols = [(i, Column(f"{c.period_label[2:]}{span}", "9M" if "-" in span else span[0], c.basis,
                                       c.header)) if c.period_type == "FY" and not c.role else (i, c)
                            for i, c in cols]
                    growth = [(i, m, next((c for j, c in cols if c.header == t.header), t)) for i, m, t in growth]
                n_tables += 1
                prev = table if not recent else None
                table = self._new_table(_dated_balances(cols), len(cells), hlabel, recent, n_tables)
                if prev is not None and table.unit == UnitSpec():
                    table.unit, table.title = prev.unit, table.title or prev.title  # a header inside a table
                elif table.unit == UnitSpec() and block_unit is not None and all(len(r.strip()) <= 20 for r in recent):
                    table.unit = block_unit  # 资产负债表 / 利润表 / … under one "财务报表预测（单位：百万元）"
                table.strict, table.growth_cols, table.report = extra, growth, used
                table.offset = 1 if cols and cols[0][0] == 0 and len(cells) > 1 else 0
                block_unit = table.unit if table.unit != UnitSpec() else block_unit
                recent = []
                continue
            if table is not None and not table.rows and self._header_line(line, cells, table):
                continue
            if table is not None:
                row = self._row(line, cells, table)
                if row is not None:
                    if not skipping:
                        out.extend(self._row_facts(note, table, row, start))
                    continue
                if not line.strip():
                    continue
                if table.report is not None:
                    wrapped = self._wrapped_row(lines, idx, cells, table)
                    if wrapped is not None:
                        if wrapped and not skipping:
                            out.extend(self._row_facts(note, table, wrapped, start))
                        continue
                if (not self._segment_line(line, table) and not self._heading(line, table)
                        and not self._subheading(line, table)):
                    table = None
            if line.strip():
                recent = (recent + [line])[-4:]
                if _SOURCE_LINE.match(line) or len(line.strip()) > 40:
                    block_unit = None
                m = _STATEMENT_HEAD.match(line)
                if m:
                    skipping = bool(_OTHER_STATEMENT.search(m["what"]))
        return self._context_rules(out)

    def _change_row(self, note: dict, report: ReportPeriod, cells, at: int, line_start: int) -> list[dict]:
        """A 变动原因 row "财务费用_年初至报告期末 | -65.32 | 主要系…": the yoy change of a flow in the column the
        label names. A row with no column named (应收票据) or a balance (a change since the year start) gives
        nothing."""
        label = clean_cell(cells[0][0])
        base, sep, which = label.rpartition("_")
        if not sep:
            return []
        code = self.labels.resolve(base).code
        col = parse_relative_header(which, report)
        if code is None or col is None or col is IGNORED or col.role not in ("cur",):
            return []
        if self.labels.category.get(code) == "balance":
            return []
        table = _Table([(at, col)], len(cells), "", UnitSpec(percent=True), 0)
        facts = self._cells(note, table, base, [(col, cells[at][0], cells[at][1])], line_start, code, "yoy", 0,
                            "table.change_reason")
        for f in facts:
            f["evidence"] = f"{label} {clean_cell(cells[at][0])}"
        return facts

    def _header_line(self, line: str, cells, table: _Table) -> bool:
        """Lines between a header and its first row: the columns' unit ("人民币千元  人民币千元"), an audit
        note ("（未经审核）"), or the month and day of year columns ("于2025年" over "六月三十日")."""
        texts = [clean_cell(t) for t, _, _ in cells if clean_cell(t)]
        if not texts or len(texts) > len(table.columns) or any(parse_value(t) is not None for t in texts):
            return False
        units = [self._table_unit(t if t.startswith("(") else f"({t})") for t in texts
                 if len(t) <= 12 and not re.search(r"[0-9]", t.replace("'000", "").replace("’000", ""))]
        if len(units) == len(texts) and all(u != UnitSpec() for u in units) and len(set(units)) == 1:
            if table.unit == UnitSpec():
                table.unit = units[0]
            return True
        if all(re.fullmatch(r"\([^()]{1,12}\)", t) for t in texts):
            return True  # （未经审核） / (restated)
        days = [re.fullmatch(r"([0-9]{1,2})月([0-9]{1,2})日", arabic_dates(t.replace(" ", ""))) for t in texts]
        if len(texts) == len(table.columns) and all(days):
            cols = []
            for (i, col), d in zip(table.columns, days, strict=True):
                if col.period_type != "FY":
                    return False
                new = parse_year_header(f"{col.period_label[2:]}年{d[1]}月{d[2]}日")
                cols.append((i, new or col))
            table.columns = _dated_balances(cols)
            return True
        return False

    # -- tables whose columns name a period and a metric -------------------------------------------

    def _metric_columns(self, cells) -> list | None:
        """A header like "| 机构 | 2025E归母净利润(亿元) | 2026E归母净利润(亿元) | 2025E EPS(元) |": each
        column is one metric of one period, the rows are sources (brokers, a consensus mean). Two such
        columns at least, else None."""
        if len(cells) < 3 or "E" not in "".join(c[0] for c in cells).upper():
            return None  # cheap exit: such headers carry a year flag
        out = []
        for i, (text, _, _) in enumerate(cells):
            m = _METRIC_COLUMN.match(clean_cell(text).replace(" ", ""))
            if not m:
                continue
            col = parse_year_header(m["period"])
            if col is None or col is IGNORED or col.role:
                continue
            code = self.labels.resolve(m["label"]).code
            if code is None or self.labels.resolve(m["label"]).growth:
                continue
            out.append((i, col, code, m["label"]))
        return out if len(out) >= 2 else None

    def _context_title(self, recent: list[str]) -> str:
        for line in reversed(recent):
            cand = _clean_title(line)
            if cand and len(cand) <= 40:
                return cand
        return ""

    def _metric_column_row(self, note: dict, mtable, cells, line_start: int) -> list[dict]:
        mcols, n_cells, title = mtable
        source = clean_cell(cells[0][0])
        out = []
        for i, col, code, label in mcols:
            table = _Table([(i, col)], n_cells, "", UnitSpec(), 0)
            facts = self._cells(note, table, label, [(col, cells[i][0], cells[i][1])], line_start, code, "level", 0,
                                "table.metric_column")
            for f in facts:
                f["evidence"] = f"{title} {source} {col.header}{label}: {f['value_text']}".strip()
            out += facts
        return out

    # -- tables and rows ---------------------------------------------------------------------------

    def _new_table(self, cols, n_cells, hlabel, recent, index) -> _Table:
        title = ""
        unit_text = hlabel
        for line in reversed(recent):
            if _SOURCE_LINE.match(line):
                break
            cand = _clean_title(line)
            if cand.startswith("编制单位"):
                continue  # the statement's preparer, not its unit
            if "单位" in cand:
                unit_text = f"{cand} {unit_text}"
            elif cand and _span_of(cand):
                unit_text = f"{cand} {unit_text}"  # "截至六月三十日止六个月": the columns' span, not the title
            elif cand and len(cand) <= 40 and not title:
                title = cand
                unit_text = f"{cand} {unit_text}"
        generic = {"会计年度", "项目", "指标", "年份", "报告期", "财务指标", "单位", "年度", "fiscalyear", "item"}
        if hlabel and norm_name(hlabel) not in generic and not hlabel.startswith("单位"):
            title = hlabel  # the header row names its own table ("利润表（百万元）\t2023\t2024E")
        unit = self._table_unit(unit_text)
        if unit == UnitSpec() and hlabel:
            unit = self._table_unit(f"({hlabel})")  # a bare unit in the header's label cell: 人民币百万元
        return _Table(cols, n_cells, title or hlabel, unit, index)

    def _table_unit(self, text: str) -> UnitSpec:
        # a table title's unit may sit outside brackets: "单位：亿元", "(百万元)" already handled
        return parse_unit(text, self.units)

    def _row(self, line: str, cells, table: _Table):
        """(label, [(column, raw cell, offset in line)]) or None when the line is not a row."""
        m = len(table.columns)
        nonempty = [c for c in cells if c[0]]
        if not nonempty:
            return None
        off = table.offset
        if len(cells) == table.n_cells + off and cells[0][0]:
            label = cells[0][0]
            values = [(col, cells[i + off][0], cells[i + off][1]) for i, col in table.columns]
            changes = [(measure, target, cells[i + off][0], cells[i + off][1])
                       for i, measure, target in table.growth_cols]
            return self._checked(label, values, changes)
        elif table.strict:
            return None
        elif len(nonempty) >= m + 1:
            label_cells, value_cells = nonempty[:-m], nonempty[-m:]
            label = line[label_cells[0][1] : label_cells[-1][2]]
            values = [(col, v[0], v[1]) for (_, col), v in zip(table.columns, value_cells, strict=True)]
        else:
            words = split_words(line)
            if len(words) < m + 1:
                if len(cells) >= 2 and cells[0][0] and all(not c[0] for c in cells[1:]):
                    return (cells[0][0], [], [])  # sub-heading row inside the table ("成长能力\t\t\t")
                return None
            value_cells = words[-m:]
            label = line[: value_cells[0][1]].strip()
            values = [(col, v[0], v[1]) for (_, col), v in zip(table.columns, value_cells, strict=True)]
        return self._checked(label, values, [])

    @staticmethod
    def _checked(label, values, changes):
        if not clean_cell(label) or parse_value(label) is not None:
            return None
        parsed = [parse_value(raw) for _, raw, _ in values]
        blank = [clean_cell(raw).replace(" ", "").lower() in EMPTY_CELLS for _, raw, _ in values]
        if not all(p is not None or b for p, b in zip(parsed, blank, strict=True)):
            return None  # a line of text, not a row of figures
        return (label, values, changes)

    def _wrapped_row(self, lines: list[str], idx: int, cells, table: _Table):
        """A filing row whose label wrapped in its cell: the label on its own line, the figures on the
        next (one cell short), the label's unit bracket after them ("（元）"). Returns the row, () for a
        line taken as part of one, None for any other line."""
        text = cells[0][0] if len(cells) == 1 else ""
        if text and _LABEL_ONLY.fullmatch(text) and not _UNIT_ONLY.fullmatch(text):
            table.dangling = text
            return ()
        label, table.dangling = table.dangling, None
        if label is None or len(cells) != table.n_cells - 1 or not cells[0][0]:
            return None
        after = next((ln.strip() for ln in lines[idx + 1 : idx + 4] if ln.strip()), "")
        if _UNIT_ONLY.fullmatch(after):
            label += after
        return self._row("", [(label, 0, 0), *cells], table)

    def _heading(self, line: str, table: _Table) -> bool:
        """A label-only line that opens sub-rows: "以下人士应占：" (owners / minorities of the line above),
        "每股盈利（人民币分）" (基本 / 摊薄 below it)."""
        t = _strip_alternative(_clean_title(line))
        if not t or len(t) > 30 or re.search(r"[0-9。，,;；]", re.sub(r"\([^()]*\)", "", t)):
            return False
        if _ATTRIB_HEAD.search(norm_name(t)):
            table.heading = ("attrib", table.prev_code, "")
            return True
        match = self.labels.resolve(t)
        if match.code is not None and not match.growth and self.labels.value_type.get(match.code) == "per_share":
            table.heading = ("per_share", match.code, t)
            return True
        return False

    def _sub_row(self, label: str, table: _Table):
        """(code, label for the unit) of a row under a heading, "skip" for one to leave out, else None."""
        kind, code, head = table.heading
        n = norm_name(label).lstrip("-–—－·•")
        if kind == "attrib":
            if n in _OWNER_ROWS:
                return ("net_profit_attributable", label) if code == "net_profit" else "skip"
            if n in _MINORITY_ROWS:
                return ("minority_interest_profit", label) if code == "net_profit" else "skip"
            return None
        if n in _BASIC_ROWS:
            return code, f"{head} {label}"
        if n in _DILUTED_ROWS:
            return "skip"  # eps is the basic figure (gold convention)
        return None

    def _segment_line(self, text: str, table: _Table) -> bool:
        """In a segment table (分业务 / 分产品 …), a label-only line names the segment of the rows below it;
        a total line (合计) gives the rows back to the company."""
        if not _SEGMENT_TABLE.search(table.title or ""):
            return False
        t = re.sub(r"\([^()]*\)", "", norm_name(_clean_title(text))).rstrip(":：")
        if not t or len(t) > 20 or re.search(r"[0-9。，,;；:：]", t) or _SOURCE_LINE.match(t):
            return False
        m = self.labels.resolve(t)
        if m.code is not None or m.growth:
            return False
        table.segment = None if t in _TOTAL_WORDS or t in _WHOLE_COMPANY else (self.segments.get(t),)
        table.prev_code = None
        return True

    def _subheading(self, line: str, table: _Table) -> bool:
        t = _clean_title(line)
        if t and len(t) <= 10 and not re.search(r"[。，,;；:：]", t) and "表" not in t:
            table.prev_code = None
            return True
        return False

    def _row_facts(self, note: dict, table: _Table, row, line_start: int) -> list[dict]:
        if not row[1] and self._segment_line(row[0], table):
            return []
        facts = self._statement_row(note, table, row, line_start)
        if table.segment is not None and table.segment[0]:
            for f in facts:
                f["segment_code"] = f["segment_code"] or table.segment[0]
        return facts

    def _statement_row(self, note: dict, table: _Table, row, line_start: int) -> list[dict]:
        label, values, changes = row
        label = _strip_alternative(label)
        if table.heading is not None and values:
            sub = self._sub_row(label, table)
            if sub == "skip":
                return []
            if sub is not None:
                return self._cells(note, table, sub[1], values, line_start, sub[0], "level", 0, "table.statement")
            table.heading = None
        revised = _REVISION_ROW.match(clean_cell(label))
        prior = False
        if revised and self.labels.resolve(revised["base"]).code is not None:
            label = revised["base"]
            prior = (revised["b"] or revised["s"]).lower() in _PRIOR_MARKS
            table.revision = table.revision or prior
        match = self.labels.resolve(label)
        pending, table.pending = table.pending, None
        if not values:
            table.prev_code = None
            return []
        if match.bare_growth and table.revision:
            return []  # "变动率" under 调整前 / 调整后 rows: the revision in %, not a change on a year before
        if prior:
            values = [(col, raw, off) for col, raw, off in values if col.basis == "estimate"]
            values = [(Column(c.period_label, c.period_type, "prior_estimate", c.header, c.role), raw, off)
                      for c, raw, off in values]
        if match.code is None and not match.growth:
            special = self._segment_or_peer_row(note, table, label, values, line_start)
            if special is not None:
                return special
        elif table.segment is not None and table.segment[0] is None:
            # a row of a segment with no code ("谐波减速器 营业收入" then 同比 / 毛利率): not the company's
            if not match.growth:
                table.prev_code = match.code
            return []
        if match.growth:
            code = match.code if not match.bare_growth else table.prev_code
            measure = match.measure
        else:
            code, measure = match.code, "level"
            table.prev_code = code
        table.rows.append({"norm": match.norm, "code": code, "measure": measure})
        out = []
        if pending is not None and code in RESIDUAL_BEFORE:
            # "其它" just above a section total is that section's residual line
            out = self._cells(note, table, pending[0], pending[1], pending[2], RESIDUAL_BEFORE[code], "level",
                              0, "table.residual")
        if code is None:
            if match.norm in RESIDUAL_LABELS:
                table.pending = (label, values, line_start)
            return out
        out += self._cells(note, table, label, values, line_start, code, measure, match.year_shift,
                           "table.growth" if measure != "level" else "table.statement")
        if measure == "level" and changes:
            for change, target, raw, offset in changes:
                if (target.role and table.report is not None and table.report.kind != "FY"
                        and self.labels.category.get(code) == "balance"):
                    continue  # a quarter-end balance is compared with the year-end, not a year before
                if self.labels.value_type.get(code) == "ratio":
                    out += self._ratio_change(note, table, label, values, (change, target, raw, offset),
                                              line_start, code)
                    continue
                out += self._cells(note, table, label, [(target, raw, offset)], line_start, code, change, 0,
                                   "table.growth_column")
        return out

    def _segment_or_peer_row(self, note, table: _Table, label, values, line_start) -> list[dict] | None:
        """A row labelled "<segment> <metric>" (a segment table: the rows below belong to that segment) or
        "<ticker> <name>" in a table whose title names one metric (a peers' valuation table)."""
        parts = clean_cell(label).split()
        if len(parts) == 1 and _SEGMENT_TABLE.search(table.title or ""):
            parts = _split_segment_label(parts[0], self.labels)
        if len(parts) < 2:
            return None
        rest = self.labels.resolve("".join(parts[1:]))
        word = norm_name(parts[0])
        if rest.code is not None and not rest.growth and word.rstrip(":：") in _NOT_SEGMENTS:
            # "其中 研发费用", "减 营业成本": a line of the company's own statement
            table.prev_code = rest.code
            return self._cells(note, table, " ".join(parts[1:]), values, line_start, rest.code, "level", 0,
                               "table.statement")
        if (rest.code is not None and not rest.growth and re.search(r"[\u4e00-\u9fff]", word)
                and word not in _NOT_SEGMENTS and not word.endswith((":", "："))):
            table.prev_code = rest.code
            if word in _TOTAL_WORDS:
                table.segment = None
                return self._cells(note, table, " ".join(parts[1:]), values, line_start, rest.code, "level", 0,
                                   "table.statement")
            seg = self.segments.get(word)
            table.segment = (seg,)
            if seg is None:
                return []  # a segment with no code: its rows are not the company's
            facts = self._cells(note, table, " ".join(parts[1:]), values, line_start, rest.code, "level", 0,
                                "table.segment")
            for f in facts:
                f["segment_code"] = seg
            return facts
        ticker = canonical_ticker(parts[0]) if re.search(r"[0-9]", parts[0]) else None
        name = "".join(parts[1:])
        if ticker is None:
            last = parts[-1]
            ticker, name = (canonical_ticker(last) if re.search(r"[0-9]", last) else None), "".join(parts[:-1])
        if ticker is None or not re.fullmatch(r"[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9\-]{1,15}", name):
            return None
        metric = self._title_metric(table.title)
        if metric is None:
            return None
        facts = self._cells(note, table, metric[1], values, line_start, metric[0], "level", 0, "table.peer")
        for f in facts:
            f["company_name"], f["company_ticker"] = name, ticker
            f["evidence"] = f"{table.title} {clean_cell(label)} {f['evidence'].split(': ')[-1]}".strip()
        return facts

    def _title_metric(self, title: str) -> tuple[str, str] | None:
        """The one valuation or per-share metric a peers' table title names ("证券代码 证券简称 PE（倍）")."""
        found = set()
        for word in split_words(title):
            m = self.labels.resolve(word[0])
            if m.code is not None and not m.growth:
                found.add((m.code, word[0]))
        codes = {c for c, _ in found}
        if len(codes) != 1:
            return None
        code, word = found.pop()
        return (code, word) if self.labels.value_type.get(code) in ("multiple", "per_share") else None

    def _ratio_change(self, note, table: _Table, label, values, change, line_start, code) -> list[dict]:
        """A filing's change column beside a ratio (ROE 14.07% vs 11.35%: 2.72%) is in points: keep it
        as yoy_pp only when it is the difference of the row's own two periods."""
        measure, target, raw, offset = change
        points = _POINTS_CELL.match(clean_cell(raw))
        if points:
            # "+1.3pct" / "-0.5个百分点" in a 同比 / 环比 column: the change in points, as written
            pts = points[2].replace(" ", "")
            if points["word"] in _POINTS_DOWN and not pts.startswith(("-", "−", "–")):
                pts = "-" + pts
            facts = self._cells(note, table, label, [(target, pts, offset)], line_start,
                                code, measure, 0, "table.growth_column", ratio_points=True)
            for f in facts:
                f["measure"], f["unit"] = f"{measure}_pp", "pp"
            return facts
        cv = parse_value(raw)
        prior = prior_period(target.period_label)
        if measure != "yoy" or cv is None or prior is None:
            return []
        cells = {col.period_label: parse_value(r) for col, r, _ in values}
        now, before = cells.get(target.period_label), cells.get(prior)
        if now is None or before is None or abs(now.value - before.value - cv.value) > 0.011:
            return []
        facts = self._cells(note, table, label, [(target, raw, offset)], line_start, code, "yoy", 0,
                            "table.growth_column", ratio_points=True)
        for f in facts:
            f["measure"], f["unit"] = "yoy_pp", "pp"
        return facts

    def _cells(self, note, table: _Table, label, values, line_start, code, measure, year_shift, rule,
               ratio_points: bool = False) -> list[dict]:
        vtype = self.labels.value_type.get(code)
        if measure != "level" and vtype not in ("amount", "per_share", "count") and not ratio_points:
            return []  # growth of a ratio would be points, which the row does not say
        balance = self.labels.category.get(code) == "balance"
        row_unit = parse_unit(label, self.units).merged_over(table.unit)
        if rule == "table.growth_column":
            row_unit = UnitSpec(percent=True)  # the row's unit (元/股) is its levels', not its change's
        label_text = clean_cell(label)
        by_period = {c.period_label: c for _, c in table.columns}
        facts = []
        for col, raw, offset in values:
            cv = parse_value(raw)
            if cv is None:
                continue
            unit, value, decimals = normalise_cell(measure, vtype, row_unit, cv)
            if unit is None:
                continue
            period, basis, ptype = col.period_label, col.basis, col.period_type
            if col.role in ("end", "start") and not balance:
                continue  # a flow has no value at a date
            if col.role in ("cur", "prior") and balance and measure == "level":
                if col.role == "prior" or table.report is None:
                    continue  # 上年同期 of a balance: a year-ago balance the filing does not print here
                end = table.report.column("end", col.header)  # 本报告期 of a balance: at its end
                period, ptype = end.period_label, end.period_type
            if year_shift:
                if col.period_type != "FY":
                    continue
                period = f"FY{int(period[2:]) + year_shift}"
                basis = by_period[period].basis if period in by_period else col.basis
            span_start = line_start + offset + cv.start
            facts.append(
                {
                    "note_id": note["note_id"],
                    "source_file": note["source_file"],
                    "company_name": note.get("company_name"),
                    "company_ticker": note.get("company_ticker"),
                    "metric_code": code,
                    "segment_code": "",
                    "measure": measure,
                    "period_label": period,
                    "period_type": ptype,
                    "basis": basis,
                    "value": value,
                    "unit": unit,
                    "decimals": decimals,
                    "value_text": clean_cell(raw),
                    "evidence": f"{table.title} {label_text} {col.header}: {clean_cell(raw)}".strip(),
                    "span_start": span_start,
                    "span_end": line_start + offset + cv.end,
                    "rule_id": rule,
                    "extractor_version": EXTRACTOR_VERSION,
                    "_table": table.index,
                    "_label": norm_name(label_text),
                }
            )
        return facts

    # -- context rules -------------------------------------------------------------------------------

    def _context_rules(self, facts: list[dict]) -> list[dict]:
        """Relabel rows whose own figures show what they mean.

        - A plain 净利润 row whose cells equal the note's 归母净利润 row in every shared year is the
          parent's share (summary tables often print 归母 as "净利润"); its growth row follows it.
        - A 股东权益 line printed beside a separate 少数股东权益 line, with no 合计 line, excludes
          minorities: equity attributable to the parent.
        """
        attr = {(f["period_label"], f["basis"]): f["value"] for f in facts
                if f["metric_code"] == "net_profit_attributable" and f["measure"] == "level"}
        if attr:
            groups: dict[tuple, list[dict]] = {}
            for f in facts:
                if f["metric_code"] == "net_profit" and f["measure"] == "level":
                    groups.setdefault((f["_table"], f["_label"]), []).append(f)
            remapped, kept = 0, 0
            for rows in groups.values():
                shared = [f for f in rows if (f["period_label"], f["basis"]) in attr]
                if len(shared) >= 2 and all(abs(f["value"] - attr[(f["period_label"], f["basis"])]) < 1e-6
                                            for f in shared):
                    for f in rows:
                        f["metric_code"] = "net_profit_attributable"
                    remapped += 1
                else:
                    kept += 1
            if remapped and not kept:
                for f in facts:
                    if f["metric_code"] == "net_profit" and f["measure"] == "yoy":
                        f["metric_code"] = "net_profit_attributable"
        tables_with_minority = {f["_table"] for f in facts if f["metric_code"] == "minority_interest"}
        tables_with_total = {f["_table"] for f in facts
                             if f["metric_code"] == "total_equity" and f["_label"] != "股东权益"}
        for f in facts:
            if (f["metric_code"] == "total_equity" and f["_label"] == "股东权益"
                    and f["_table"] in tables_with_minority and f["_table"] not in tables_with_total):
                f["metric_code"] = "equity_attributable"
        return facts


def _table_like(text_col: str) -> pl.Expr:
    """Notes worth walking: some line holds a tab, a pipe table, a 基本数据-style box or aligned columns."""
    return pl.col(text_col).str.contains(
        # a PDF's text keeps single spaces between columns: a header of two or more A/E years marks a table
        r"(?m)\t|^\s*\|.*\||\S {2,}[-+(]?[0-9]|(?:19|20)[0-9]{2}[AE] (?:FY)?(?:19|20)?[0-9]{2}[AE]"
    ) | pl.col(text_col).str.contains(BOX_HEADING.pattern, literal=False) | pl.col(text_col).str.contains(
        # a header's key-data line: "Rating: Outperform | Price (26 Aug 2026): HK$11.84 | TP: HK$14.20"
        r"[^\n|:：]{1,40}[:：][^\n|]* \| [^\n|:：]{1,40}[:：]"
    )


def extract_table_facts(notes: pl.DataFrame, lexicon) -> pl.DataFrame:
    """Facts of every table and key-value box in `notes` (schemas.NOTES + company_name/_ticker).

    Returns schemas.FACTS rows, one per distinct fact and value within a note.
    """
    if notes.is_empty():
        return schemas.empty(schemas.FACTS)
    labels = MetricLabels(lexicon)
    seg_names = getattr(lexicon, "segment_names", None)
    segments = ({norm_name(n): c for n, c in seg_names.select("name", "code").iter_rows() if n}
                if seg_names is not None and seg_names.height else {})
    walker = _NoteTables(labels, lexicon.units or {}, segments)
    cols = [c for c in ("note_id", "source_file", "company_name", "company_ticker", "published_at", "text")
            if c in notes.columns]
    candidates = notes.select(cols).filter(pl.col("text").is_not_null() & _table_like("text"))
    rows: list[dict] = []
    for note in candidates.iter_rows(named=True):
        rows.extend(walker.facts(note))
        rows.extend(note_kv_facts(note, labels, lexicon.units or {}, EXTRACTOR_VERSION))
    if not rows:
        return schemas.empty(schemas.FACTS)
    df = schemas.conform(pl.DataFrame(rows, infer_schema_length=None), schemas.FACTS)
    key = ["note_id", "company_name", "metric_code", "segment_code", "measure", "period_label", "basis",
           "unit", "value"]
    return df.unique(subset=key, keep="first", maintain_order=True)
