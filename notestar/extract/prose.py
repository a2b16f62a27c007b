"""The prose reader: one sentence at a time, left to right, like an analyst.

Tokens (one compiled regex built from the lexicon: metric names, segment names, company names, units,
plus the grammar words of `words.py` / `english.py`) are read in order while a small state is kept:
the current metric(s), segment(s), period(s), the pending change word (同比/环比), the direction
(增长/下降/收窄), loss words, forecast / prior-forecast words, the prior-year comparative (去年同期),
from/to (从A增至B) and blocks for industry-wide, intraday, CAGR and share-of-another-segment figures.
Each group of numbers (one value, a list 0.31/0.42/0.57亿元, a range 55-65亿元) becomes facts by
pairing with the metric, segment or period lists of the same length.

This part is Python (documented exception to "Polars first"): reading a sentence is a left-to-right
state machine whose output for one number depends on every token before it, which a column
expression cannot express. Everything around it (sentence split, offsets, company joins, dedup) is Polars.

The tokenizer stays on Python's `re` too, measured: `str.extract_all` of the same vocabulary in Polars (Rust
regex, look-arounds stripped) takes 3-4x longer over all sentences of a batch than `finditer` here, the
look-arounds (latin word edges, `(?![0-9])` after periods, `(?=亿)`) have no Rust equivalent, and most of a
token's cost is building it, not finding it (bench/bench_extract.py prints both timings).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from notestar.extract import english as en
from notestar.extract import words as w
from notestar.extract.numbers import Amount, NumberGrammar, merge_range_ends
from notestar.extract.periods import PERIOD_PATTERN, Period, fy, half, instant, quarter, resolve_period

# metrics that a business segment can carry (segment revenue, its margin, its share of revenue)
SEGMENTABLE = {"revenue", "gross_margin", "gross_profit", "revenue_share", "cost_of_revenue",
               "adjusted_gross_margin", "adjusted_gross_profit"}
SHARE_METRICS = {"revenue_share"}
_COUNT_RX = re.compile("|".join(re.escape(c) for c in sorted(w.COUNT_WORDS, key=len, reverse=True)))
_RATIO_SUFFIX = ("率", "占比")
_SUFFIX_ALT = "|".join(sorted(w.COMPANY_SUFFIXES, key=len, reverse=True))
_LEAD_COMPANY = re.compile(rf"^[\s*•\-]*([\u4e00-\u9fff]{{1,6}}?(?:{_SUFFIX_ALT}))"
                           r"(?=今年|去年|上年|本年|全年|上半年|下半年|前三|第|[一二三四]季度|[0-9]|Q[1-4]|FY|H[12]|实现|录得"
                           r"|完成|营|总|归|净|毛|经调整|调整后|公司)")
_SPEAKER = re.compile(f"(?:{'|'.join(w.SPEAKER_WORDS)})\\s?(?:{'|'.join(w.SPEECH_MARKS)})")
_LEAD_COMPANY_AT = re.compile(_LEAD_COMPANY.pattern.removeprefix("^"))  # the same, at a bracket's start
_NOT_COMPANY = ("公司", "我们", "本", "该", "其", "行业", "国内", "全球", "中国")
# "另一家家电企业某某电器此前发布的业绩快报显示，…": another firm named after its kind; the figures after
# it are its own
_OTHER_FIRM = re.compile(r"(?:另一家|另外一家|另有一家|另一)[\u4e00-\u9fff]{0,8}?(?:企业|公司|厂商|厂家)"
                         r"([\u4e00-\u9fff]{2,6}?)(?=此前|近日|日前|此次|发布|披露|公布|公告|同期|的|也|则|亦|[，,（(])")
_PERIOD_START = re.compile(rf"(?:{PERIOD_PATTERN})")
# a metric name glued to a preceding noun is a qualified line ("海外营收"); these endings are not nouns
_MODIFIED = re.compile(r"[\u4e00-\u9fffA-Za-z]$")
_MODIFIER_OK = re.compile(r"(?:实现|录得|取得|其中|公司|整体|合计|累计|共|的|为|季|年|度|期|月|末|单季|全年|当期|报告期"
                          r"|营业|主营|同期|实现了|达到|分别|本季|该季|集团|综合|对应|预计|预测|以及|同时|并且|但是|而|较|但|与|和|及"
                          r"|首次|此外|另外|带动|推动|完成|给予|维持|重申|上调|下调|调整|将|使|其|达|是|在|有|从|由|至|确认|计提|产生|贡献|下|最新|当前|最近|目前"
                          r"|且|并|则|后|中|内|即|亦|也|均|都|计|总|单|该|本|其中|同时期"
                          r"|年化|加权|今日|当日|昨日|正股)$")  # "年化加权ROE": annualised, the ratio itself
_REGION_BEFORE = re.compile(f"(?:{'|'.join(w.REGION_WORDS)})(?:业务|市场|地区)?的?$")
# "3月单月营业收入…", "1-2月营收…": a month's figure, no period of the gold's formats
_MONTH_BEFORE = re.compile(r"(?:(?<![0-9])[0-9]{1,2}(?:\s?[-–~至]\s?[0-9]{1,2})?\s?月份?|单月|当月)\s?(?:单月|当月)?"
                           r"(?:的|公司|实现|录得)?\s?$")
_PART_OF = re.compile(r"其中[：:]?\s?([^，,；;。]*)$")
_CJK_2 = re.compile(r"[\u4e00-\u9fff]{2}")
_WHOLE_COMPANY = re.compile(r"整体|综合|公司|集团|合计|总体")
# per-share figures of a stock (not a flow): a balance date (截至…末) dates them
POINT_IN_TIME_PER_SHARE = {"book_value_per_share"}
# "核心假设：1）谐波减速器：…", "2）RV减速器：预计…": an enumerated item and its heading
_ENUM_HEAD = re.compile(r"^[\s*•\-]*(?:[\u4e00-\u9fff]{2,8}[：:]\s?)?[（(]?[0-9一二三四五六七八九][）)]\s?"
                        r"([^：:，,。；;（()）0-9]{2,12})[：:]")
MARKET_INSTANT = {"share_price_close", "market_cap", "float_market_cap", "total_shares", "target_price"}

_LIST_SEP = re.compile(r"^\s?(?:/|、|,\s?(?=\d)|和|及|与|以及|and|,\s?and)\s?$")
_RANGE_SEP = re.compile(r"^\s?(?:-|–|—|~|～|至|到)\s?$")
_METRIC_JOIN = re.compile(r"^\s?(?:与|和|及|、|以及|/|,|and)?\s?$")
_CLAUSE_END = re.compile(r"[,，:：]")
# small per-token checks, compiled once (they run hundreds of thousands of times per batch)
_LATIN = re.compile(r"[A-Za-z]")
_SPACE_LATIN = re.compile(r"\s?[A-Za-z]")
_GLUED = re.compile(r"[A-Za-z0-9.]")
_ITEM_SEP = re.compile(r"、|/|和|及|与")
_EN_FIGURE = re.compile(r"\s?(?:RMB|US\$|HK\$|\$)?\s?[-0-9]")
_OPEN_BRACKET = re.compile(r"\s?[(（]")
_CLOSE_BRACKET = re.compile(r"[)）]")
_CJK_1_4 = re.compile(r"[\u4e00-\u9fff]{1,4}")
# a peer named after 同业 / 竞争对手 (no ticker): its name ends where a grammar word or the next token starts
_PEER_HEAD = re.compile(r"^(?:包括|例如|比如|如|主要有|有|像|即|中的?)+")
_PEER_TAIL = re.compile(r"(?:同期|同比|去年|今年|全年|单季|约|为|的|是|则|在|达|实现|录得|仅|也|亦|已|共|只有)+$")
_PEER_NAME = re.compile(r"[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9\-]{1,11}")
_PEER_GENERIC = re.compile(r"平均|水平|均值|整体|中位|多数|其他|其它|公司|企业|龙头|普遍|同类|产品|业务"
                           r"|增速|毛利|利润|收入|营收|规模|头部|主要|领先|上市|可比|行业|厂商|玩家|们"
                           r"|存单|负债|资产|拆借|存款|理财|存放|拆入|拆出|往来|竞争")  # 同业存单: interbank, no peer
# a clause that opens with a line name the lexicon does not know ("，贷款总额5,231亿元", "，拨备覆盖率为365.2%"):
# the metric of the clause before does not carry to its figure
_UNKNOWN_LABEL = re.compile(r"^\s?[\u4e00-\u9fff]{1,10}(?:额|量|数|值|率|规模)(?:为|达|约|是|了|共|仅|高达|达到)?\s?$")
_VS_BASE = re.compile(r"(?:较|比|相比|相较|相比于|较之|对比)\s?$")
_VS_BASE_CHANGE = re.compile(r"(?:同期)?\s?(?:增长|增加|上升|提升|提高|下降|下滑|减少|降低|回落|翻"
                             r"|收窄|缩窄|扩大|减亏)")  # "降幅较2024年收窄…": a change of the rate, on a base year
# "剔除预收款后的资产负债率", "不含土地增值税的毛利率": the metric net of an item is another line
_EXCLUDING = re.compile(r"(?:剔除|扣除|不含|不包括|除去|排除)[^，,；;。:：]{1,12}?(?:后的?|的)\s?$")
# "投资收益（含公允价值变动）": a combined line, not the metric named (the tax-inclusive "（含税）" aside)
_COMBINED_AFTER = re.compile(r"\s?[（(](?:含|包含|包括)(?!税)")
_GUIDANCE_AFTER = re.compile(r"\s?的(?:业绩|全年|年度)?(?:指引|预期|预测|展望|计划)")
_TRAILING = re.compile(r"TTM|LTM|近(?:12|十二)个月|过去(?:12|十二)个月|滚动|trailing", re.I)
# a sentence that opens with a data source ("据克而瑞数据，", "中国有色金属工业协会数据显示，"): industry or market data
# until the company comes back (公司, a company name); the analyst's or the company's own figures are not meant
_SOURCE_LEAD = re.compile(r"[\s*•\-#>]*(?:[\u4e00-\u9fff]{2,6}方面[，,])?"
                          r"(?:(?:据|根据)[^，,。；;:：]{1,20}?(?:数据|统计)|[^，,。；;:：]{1,20}?(?:数据|统计)显示)[，,:：]")
_OWN_SOURCE = re.compile(r"公司|集团|我们|管理层|公告|财报|年报|季报|测算|预测|预期")
_VS_FLAT_BEFORE = re.compile(r"(?:较|比|与|和|同)\s?$")
_VS_FLAT = re.compile(r"\s?(?:基本|大致|大体|总体)?(?:持平|相当|相近)")
# "环比持平至增长3%": a range whose first end is no change (0)
_FLAT_TO = re.compile(r"持平(?:至|到|或)(?:同比|环比)?(?:小幅|略有|略微)?(?:增长|增加|上升|提升|下降|下滑|减少)?\s?$")
_EN_PERIOD_AFTER = re.compile(r"\s(?:(?:growth|increase|decline|rise|drop)\s)?(?:in|for|during)\s")
# "同比持平", "环比基本持平", "flat YoY": a change of 0 (not "持平至增长3%", a range's end; not a growth rate's change)
_EN_TOPIC_BEFORE = re.compile(r"\b(?:[Ii]n|[Ff]or|[Dd]uring|[Oo]ver|[Tt]hrough|[Aa]s of|[Aa]t)\s(?:the\s)?$")
_EN_TOPIC_AFTER = re.compile(r"\s?[,:;]")
_EN_FROM_RATE = re.compile(r"\s?[+-]?\d+(?:\.\d+)?%\s(?:(?:YoY|yoy|y/y)\s)?(growth|increase|decline|rise|drop)\b")
_FLAT_CN = re.compile(r"(?:基本|大致|大体|总体|整体)?持平(?![至到或于])")
_FLAT_EN = re.compile(r"\bflat(?=\s)")
_FLAT_NOT = re.compile(r"增速|增幅|增长率|降幅|份额|占比")
_FLAT_AMOUNT = Amount(0.0, "%", "ratio", 0, False, False)
_GROWTH_NOUN = re.compile(r"\s?的(环比)?(?:增速|增幅|增长率|增长)")
# a gap to an estimate ("3% above our estimate", "高于市场预期5%"): a beat or miss, never a fact
_VS_ESTIMATE_AFTER = re.compile(r"\s?(?:above|below|ahead of|short of|higher than|lower than|better than|worse than"
                                r"|beat|beats|miss|missed|more than|less than)\s(?:(?:our|the|market|street|bloomberg"
                                r"|management's|company's|its|prior|previous)\s)*(?:consensus|estimates?|expectations?"
                                r"|forecasts?|guidance|projections?)", re.I)
_VS_ESTIMATE_BEFORE = re.compile(r"(?:高于|低于|超出|超过|好于|差于|不及|优于|超)"
                                 r"(?:我们的?|市场的?|一致|彭博|万得|公司|此前)*(?:预期|预测|指引|预估)(?:值)?(?:约|达|近|逾)?$")


_CLOSE_AFTER = ("收盘", "的收盘", "收市")
# words that make a bracket after a value more than its block (another currency, its change)
_NOT_A_BLOCK = frozenset({"prior", "forecast", "metric", "segment", "from", "prior_year", "prior_year_vs"})
_MONTH_DAY = re.compile(r"(\d{1,2})\s?月\s?(\d{1,2})\s?日")


# a quarter or half named with no year ("四季度", "Q4", "下半年")
_BARE_REL = re.compile(r"\s?(?:第?[一二三四]季度|Q[1-4]|[上下]半年|H[12])\s?")


def _coming(p: Period, note: dt.date) -> Period | None:
    """The same quarter (half) a year after p when that one has not ended by the note date and ends within
    about two quarters of it: the period a guidance sentence is about."""
    nxt = quarter(p.end.year + 1, p.end.month // 3) if p.ptype == "Q" else half(p.end.year + 1, 1 if p.end.month == 6
                                                                                 else 2)
    return nxt if note < nxt.end <= note + dt.timedelta(days=184) else None


def _quarter_end_before(d: dt.date) -> dt.date | None:
    """The quarter end three months before a quarter-end date d (None when d is no quarter end)."""
    if d.month % 3 or d != (d + dt.timedelta(days=1)).replace(day=1) - dt.timedelta(days=1):
        return None
    first = d.replace(day=1)
    back = first.replace(year=first.year - 1, month=first.month + 9) if first.month <= 3 else first.replace(
        month=first.month - 3)
    return (back.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _close_day(text: str, note: dt.date) -> Period | None:
    m = _MONTH_DAY.fullmatch(text.strip())
    if m is None:
        return None
    try:
        day = dt.date(note.year, int(m[1]), int(m[2]))
        if day > note:
            day = dt.date(note.year - 1, int(m[1]), int(m[2]))
    except ValueError:
        return None
    return instant(day, "date")


_CLOSE_DAY_AFTER = re.compile(r"\s?[（(]\s?(?:(?P<y>20\d{2})\s?年)?\s?(?P<m>\d{1,2})\s?月\s?(?P<d>\d{1,2})\s?日\s?"
                              r"(?:收盘价?|收市价?)\s?[)）]")


def _safe_day(y: int, m: int, d: int) -> Period | None:
    try:
        return instant(dt.date(y, m, d), "date")
    except ValueError:
        return None


_EN_MONTHS = {m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                               "nov", "dec"))}
_EN_CLOSE_DAY = re.compile(r"\bclos(?:ed|ing|e)\b[^;]{0,40}?\b(?:on|as of)\s"
                           r"(?:(?P<d1>\d{1,2})\s(?P<m1>[A-Z][a-z]{2})[a-z]*\.?"
                           r"|(?P<m2>[A-Z][a-z]{2})[a-z]*\.?\s(?P<d2>\d{1,2}))(?![0-9])(?:,?\s(?P<y>20\d{2}))?")


def _en_close_day(text: str, note: dt.date) -> Period | None:
    """The day of a close written in English ("closed at HK$2.86 on 19 Aug", "closing price on Aug 19, 2025"):
    the latest such day up to the note's date when no year is written."""
    m = _EN_CLOSE_DAY.search(text)
    if m is None:
        return None
    month = _EN_MONTHS.get((m["m1"] or m["m2"]).lower())
    if month is None:
        return None
    try:
        if m["y"]:
            return instant(dt.date(int(m["y"]), month, int(m["d1"] or m["d2"])), "date")
        return _close_day(f"{month}月{m['d1'] or m['d2']}日", note)
    except ValueError:
        return None


# "beating consensus by 5%", "missed our estimate by 3%": the gap to an estimate written before the figure
_VS_ESTIMATE_BY = re.compile(r"(?:beat|beats|beating|miss|missed|misses|missing|exceed|exceeds|exceeded|exceeding"
                             r"|topped|topping|above|below|ahead of|short of)\s(?:(?:our|the|market|street|bloomberg"
                             r"|its|company's|management's|consensus)\s)*(?:consensus|estimates?|expectations?"
                             r"|forecasts?|guidance)?\s?by\s(?:about\s|around\s|roughly\s|some\s|c\.\s?)?$", re.I)


_VS_ESTIMATE_NOUN = re.compile(r"(?:beat|beats|beating|miss|missed|misses|missing|exceed|exceeded|exceeds|exceeding"
                               r"|topped|above|below|ahead of|short of|in line with|vs\.?|versus|than)"
                               r"\s(?:(?:our|the|market|street|bloomberg|its|consensus)\s)*$", re.I)


@dataclass(slots=True)
class Tok:
    kind: str  # period | num | word
    start: int
    end: int
    text: str
    cls: str = ""  # word class: metric, segment, company, yoy, qoq, ...
    payload: object = None
    periods: list = field(default_factory=list)
    amount: Amount | None = None


@dataclass(frozen=True)
class MetricRef:
    code: str
    loss: bool = False
    company_level: bool = False


def _trie_pattern(words) -> str:
    """One regex for many literals, nested by common prefix; the longest literal wins at a position
    (greedy optional tails), and Python's engine no longer tries every literal at every character."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)


class Vocabulary:
    """Every literal the reader knows, longest first, in one regex."""

    def __init__(self, lexicon, company_names: dict[str, str]):
        self.numbers = NumberGrammar(lexicon.units)
        self._amounts: dict[str, Amount | None] = {}
        entries: dict[str, tuple[str, object]] = {}

        def add(words, cls, payload=None):
            for word in words:
                if word and word not in entries:
                    entries[word] = (cls, payload)

        metric_names = lexicon.metric_names
        loss_marks = [x for x in w.LOSS_WORDS if len(x) > 1] + ["loss"]
        for name, code in zip(metric_names["name"], metric_names["code"], strict=True):
            loss = any(m in name.lower() for m in loss_marks)
            add([name], "metric", MetricRef(code, loss, name.startswith("总")))
        seg_metric = sorted(metric_names["name"].to_list(), key=len, reverse=True)
        for name, code in zip(lexicon.segment_names["name"], lexicon.segment_names["code"], strict=True):
            implied = None
            for mname in seg_metric:
                if len(mname) >= 2 and name.endswith(mname) and len(name) > len(mname):
                    implied = dict(zip(metric_names["name"], metric_names["code"], strict=True))[mname]
                    break
            add([name], "segment", (code, implied))
        for name, canon in company_names.items():
            if len(name) >= 2:
                add([name], "company", canon)
        add(w.NEUTRAL_WORDS, "neutral")
        add(w.BOTH_WORDS, "both")
        add(w.SINCE_START_WORDS, "since_start")
        add(w.YOY_WORDS + en.EN_YOY, "yoy")
        add(w.QOQ_WORDS + en.EN_QOQ, "qoq")
        add(w.CAGR_WORDS, "cagr")
        add(w.PRIOR_WORDS + en.EN_PRIOR, "prior")
        add(w.REVISE_WORDS + en.EN_REVISE, "revise")
        add(w.PRIOR_YEAR_VS_WORDS, "prior_year_vs")
        add(w.PRIOR_YEAR_WORDS + en.EN_PRIOR_YEAR, "prior_year")
        add(w.GAIN_RESET_WORDS, "gain")
        add(w.INTRADAY_WORDS, "intraday")
        add(w.CONDITION_WORDS, "condition")
        add(w.INDUSTRY_WORDS, "industry")
        add(w.PRODUCT_WORDS, "product")
        add(w.COMPANY_WORDS, "company_word")
        add(w.PEER_WORDS, "peer")
        add(w.UNCODED_LINE_WORDS, "uncoded")
        add(w.FORECAST_WORDS + en.EN_FORECAST, "forecast")
        add(["利润率", "margin"], "margin_rel")
        add(["占比", "占"], "share_of")
        add(w.SOURCE_WORDS, "source_of")
        add(w.LIST_WORDS, "list")
        add(w.SINGLE_QUARTER_WORDS, "single_q")
        add(list(w.NARROW_WORDS) + en.EN_NARROW, "narrow")
        add(list(w.WIDEN_WORDS) + en.EN_WIDEN, "widen")
        add(w.LOSS_WORDS + en.EN_LOSS, "loss")
        add([x for x in w.UP_WORDS if x not in "+-"] + en.EN_UP, "up")
        add([x for x in w.DOWN_WORDS if x not in "+-−"] + en.EN_DOWN, "down")
        add(w.YEAR_START_WORDS, "year_start")
        add(w.FROM_WORDS + ["from"], "from")
        add(w.TO_WORDS, "to")
        self.entries = entries
        # elliptical lists "销售、管理、研发费用": items share the ending of several metric names
        names = [n for n in metric_names["name"].to_list() if not n.isascii()]
        ends: dict[str, int] = {}
        for n in names:
            for k in (2, 3):
                if len(n) > k:
                    ends[n[-k:]] = ends.get(n[-k:], 0) + 1
        shared = sorted((e for e, c in ends.items() if c >= 2), key=len, reverse=True)
        self.metric_by_name = dict(zip(metric_names["name"], metric_names["code"], strict=True))
        self.ellipsis = re.compile(
            r"((?:[\u4e00-\u9fff]{1,4}(?:、|/|和|及|与))+[\u4e00-\u9fff]{1,4}?)("
            + "|".join(map(re.escape, shared)) + ")"
        ) if shared else None
        self.segment_names = sorted(lexicon.segment_names["name"].to_list(), key=len, reverse=True)
        self.lower = {k.lower(): v for k, v in entries.items() if k.isascii()}
        # case variants instead of re.IGNORECASE: a flagged alternation of this size is several times slower
        spellings = set()
        for word in entries:
            spellings.add(word)
            if word.isascii():
                spellings.update({word.lower(), word.upper(), word.capitalize(), word[:1].upper() + word[1:]})
        latin = [w_ for w_ in spellings if w_.isascii() and w_[:1].isalpha()]
        other = [w_ for w_ in spellings if not (w_.isascii() and w_[:1].isalpha())]
        # latin words stand alone ("2028EEPS": the E of the year, then EPS)
        alts = [_trie_pattern(other), rf"(?<![A-DF-Za-df-z])(?:{_trie_pattern(latin)})(?![A-Za-z])"]
        self.regex = re.compile(
            # one-character guards first: most positions start neither a period nor a number
            rf"(?P<period>(?=[0-9截于今去上下全本第一二三四QHF前报1-9年明])(?:{PERIOD_PATTERN})"
            rf"|(?=[tTfFsSqQhHiIoOnN])(?i:{en.EN_PERIOD_PATTERN}))"
            rf"|(?P<numtok>(?=[0-9人港美RHUCu$上过破+\-−])(?:{self.numbers.pattern}))"
            rf"|(?P<word>{'|'.join(alts)})"
        )

    def amount(self, numtok: str) -> Amount | None:
        """The value of a number token; memoised, since a batch writes the same figures many times."""
        try:
            return self._amounts[numtok]
        except KeyError:
            if len(self._amounts) >= 100_000:
                self._amounts.clear()  # bounded: a 100k-note batch writes millions of distinct figures
            nm = self.numbers.regex.fullmatch(numtok)
            found = self._amounts[numtok] = self.numbers.parse(nm) if nm else None
            return found

    def lookup(self, word: str) -> tuple[str, object]:
        return self.entries.get(word) or self.lower.get(word.lower()) or ("", None)


@dataclass
class NoteContext:
    note_id: str
    source_file: str
    company: str | None
    ticker: str | None
    note_date: dt.date | None
    default_period: Period | None
    company_tickers: dict[str, str | None]  # other companies named in the batch -> printed ticker
    ref_date: dt.date | None = None  # resolves relative periods when the note has no date (first year named)
    after_close: bool = False  # published after the market's close: "截至发稿，X报12.46港元" is the close


def _ellipsis_tokens(vocab: Vocabulary, text: str) -> list[Tok]:
    out = []
    if vocab.ellipsis is None or ("、" not in text and "/" not in text):
        return out
    for m in vocab.ellipsis.finditer(text):
        body, ending = m.group(1), m.group(2)
        pieces, pos = [], 0  # (offset in body, item)
        for sep in _ITEM_SEP.finditer(body):
            pieces.append((pos, body[pos:sep.start()]))
            pos = sep.end()
        pieces.append((pos, body[pos:]))
        # the list starts at the first item that ends a metric name: a name before it may hold 和 / 与
        # ("麟越和智能销售、管理、研发费用": the company, then 销售、管理、研发费用)
        found = next(((i, k) for i, (_, item) in enumerate(pieces[:-1]) for k in range(len(item))
                      if item[k:] + ending in vocab.metric_by_name), None)
        if found is None:
            continue
        i, first = found
        items = [it for _, it in pieces[i:]]
        items[0] = items[0][first:]
        codes = [vocab.metric_by_name.get(it + ending) for it in items]
        if None in codes or len(set(codes)) != len(codes):
            continue
        start = m.start(1) + pieces[i][0] + first
        out.append(Tok("word", start, m.end(), text[start:m.end()], cls="metric_list",
                       payload=[MetricRef(c) for c in codes]))
    return out


def tokenize(vocab: Vocabulary, text: str, note_date: dt.date | None) -> list[Tok]:
    """The tokens of one sentence, left to right (the one tokenizer: the reader and the benchmark's
    per-note loop both use it). Periods and number values are memoised (`resolve_period`,
    `Vocabulary.amount`); `m.lastgroup` names the top-level group (period | numtok | word), since the
    groups inside numtok close before it."""
    toks: list[Tok] = []
    ellipses = _ellipsis_tokens(vocab, text)
    for m in vocab.regex.finditer(text):
        start, end = m.span()
        if ellipses and any(e.start <= start < e.end for e in ellipses):
            continue
        group = m.lastgroup
        tok_text = m.group(0)
        if group == "period":
            toks.append(Tok("period", start, end, tok_text, periods=resolve_period(tok_text, note_date)))
        elif group == "numtok":
            amount = vocab.amount(tok_text)
            if amount is not None and amount.kind in ("bare", "amount") and not (amount.unit and not amount.scaled
                                                                                  and amount.kind == "amount"):
                # a number followed by a counted thing is an operating count, never an amount
                tail = text[end: end + 6]
                counted = _COUNT_RX.match(tail) is not None
                if counted or _LATIN.match(tail):
                    if not (amount.kind == "amount" and _SPACE_LATIN.match(tail) is None and not counted):
                        amount = None
            if start > 0 and _GLUED.match(text[start - 1]) and not tok_text[:1].isalpha():
                # a number glued to a preceding latin letter or digit run (SAC no., model names)
                after_metric = bool(toks) and toks[-1].end == start and toks[-1].cls == "metric"
                # "14.6-15.3亿元": a dash after a digit is a range, handled when values are grouped
                after_metric = after_metric or (tok_text[:1] in "-–" and text[start - 1:start].isdigit())
                if not after_metric and text[start - 1] not in "+-" and not text[max(0, start - 3):start].lower(
                        ).endswith(("yoy", "qoq", "pe", "ps", "pb", "eps")):
                    amount = None
            toks.append(Tok("num", start, end, tok_text, amount=amount))
        else:
            cls, payload = vocab.lookup(tok_text)
            toks.append(Tok("word", start, end, tok_text, cls=cls, payload=payload))
    if ellipses:
        toks = sorted(toks + ellipses, key=lambda t: t.start)
    return toks


@dataclass
class Fact:
    company: str | None
    ticker: str | None
    metric: str
    segment: str
    measure: str
    period: Period
    basis: str
    value: float
    unit: str
    decimals: int
    value_text: str
    start: int
    end: int
    rule: str
    period_from_note: bool = False  # the sentence named no period; the note's default was used


def _same_kind(a: Amount | None, b: Amount | None) -> bool:
    """Two ends of a range: same unit, or the first written bare (60-70亿元)."""
    if a is None or b is None:
        return False
    return a.unit is None or a.unit == b.unit


class SentenceReader:
    def __init__(self, vocab: Vocabulary, value_types: dict[str, str], categories: dict[str, str],
                 margin_of: dict[str, str]):
        self.vocab = vocab
        self.vt = value_types
        self.cat = categories
        self.margin_of = margin_of
        self.margin_codes = frozenset(margin_of.values())

    # ---------------------------------------------------------------- helpers
    def _basis(self, st, period: Period, metric: str, prior: bool, note: dt.date | None) -> str:
        if prior:
            return "prior_estimate"
        if metric == "target_price":
            return "estimate"
        if metric in MARKET_INSTANT:
            return "actual"  # a price or market value at a date is an observation
        if self.cat.get(metric) == "valuation" and (len(st["periods"]) > 1 or st["forecast"]) and note and \
                period.end > note - dt.timedelta(days=365):
            return "estimate"  # multiples per forecast year (PE 25/20/16倍 for 2025-2027)
        if period.marked_estimate:
            return "estimate"
        if note is None:
            ref = st.get("ref_date")
            return "estimate" if (st["forecast"] or (ref is not None and period.end > ref)) else "actual"
        if period.end > note:
            return "estimate"
        if st.get("from_value"):
            return "actual"  # "从2023年的21.7%提升至…": the starting point is reported
        forecast_list = len(st["periods"]) > 1 and max(p.end for p in st["periods"]) > note
        if (st["forecast"] or forecast_list) and period.end > note - dt.timedelta(days=100):
            return "estimate"
        return "actual"

    def read(self, text: str, offset: int, ctx: NoteContext, inherited: list[Period] | None = None,
             company: str | None = None, from_context: tuple[Period | None, bool] | None = None,
             clause: bool = False, assumptions: bool = False) -> list[Fact]:
        """Facts of one sentence; `inherited` is the period the previous sentence of the paragraph named,
        `company` the company it was about when it ended at "；" (the clauses of one sentence), `from_context`
        the dating of its from/to start (`self.last_from` of that clause).
        After the call, `self.last_periods` holds the periods to carry to the next sentence,
        `self.last_company` the company named in this one (None: the note's subject) and `self.last_from`
        (start period, start is the year-earlier level) when it went from A to B, else None."""
        text = self.vocab.numbers.bracket_negatives(text)
        toks = tokenize(self.vocab, text, ctx.note_date or ctx.ref_date)
        if "持平" in text or "flat" in text:
            toks = self._flat_tokens(text, toks)
        self.last_periods = inherited or []
        self.last_from = None
        if not any(t.kind == "num" for t in toks):
            if any(t.kind == "period" and t.periods and t.periods[0].kind != "date" for t in toks):
                self.last_periods = next(t.periods for t in reversed(toks)
                                         if t.kind == "period" and t.periods and t.periods[0].kind != "date")
            named = [t.payload for t in toks if t.cls == "company"]
            self.last_company = named[-1] if named else company
            return []
        facts: list[Fact] = []
        st = {
            "metrics": [], "segs": [], "periods": [], "pending": None, "sticky": None, "dir": 0,
            "dir_kind": None, "loss": False, "forecast": False, "prior": False, "prior_year": False,
            "from_seen": False, "from_mode": False, "to_mode": False, "since_marker": False,
            "from_period": None, "to_period": None, "industry": False, "intraday": False, "cagr": False,
            "share_of": False, "company": ctx.company, "ticker": ctx.ticker, "last_tok": None,
            "dates": [], "saved_periods": [], "seg_bound": False, "source_of": False, "revise": False,
            "explicit_period": False,
        }
        st["ref_date"] = ctx.ref_date
        st["text"] = text
        if ctx.note_date and "close" in text:
            # "Shares closed at HK$2.86 on 19 Aug": an English day named with no year dates the close
            st["en_close"] = _en_close_day(text, ctx.note_date)  # dates the close only, not a target price
        st["default_period"] = ctx.default_period
        if from_context is not None:
            # the clause before (up to "；") went from A to B: a parallel undated start takes its dating
            st["parallel_from"], st["from_prior_year"] = from_context
        st["subject_company"], st["subject_ticker"] = ctx.company, ctx.ticker
        if inherited:
            st["periods"] = list(inherited)
            if inherited[-1].ptype == "instant" and inherited[-1].kind == "asof":
                st["asof_open"] = inherited[-1]
                # "截至5月9日，转债收盘价…；正股收盘价18.40元": the clauses of one sentence share its as-of day
                st["asof_here"] = clause
        if company and company != ctx.company:
            st["company"], st["ticker"], st["carried"], st["opener"] = company, None, True, company
        lead = self._lead_company(text, 0, ctx)
        if lead:
            # a digest line opens with the company it is about ("某某科技2024年上半年营收…")
            st["company"] = st["opener"] = lead
        head = _ENUM_HEAD.match(text) if assumptions else None
        if head and not any(x in head.group(1) for x in w.HEADING_TOPIC_WORDS) and not any(
                t.cls in ("metric", "segment", "company", "company_word") and t.end <= head.end(1) for t in toks):
            st["product"] = True  # the item's figures are the product's (business line's), not the company's
        lead_src = _SOURCE_LEAD.match(text)
        if lead_src and not _OWN_SOURCE.search(lead_src.group(0)) and not any(
                t.cls == "company" and t.start < lead_src.end() for t in toks):
            st["source_lead"] = True
        other = _OTHER_FIRM.search(text)
        if other and other.group(1) != ctx.company and not other.group(1).startswith(_NOT_COMPANY):
            st["other_firm"] = (other.end(1), other.group(1))
        market_in_sentence = any(t.cls == "metric" and self.cat.get(t.payload.code) == "market" for t in toks)
        i = 0
        prev_end = 0
        while i < len(toks):
            t = toks[i]
            gap = text[prev_end:t.start]
            if _CLAUSE_END.search(gap):
                self._clause_end(st)
            if "|" in gap or "｜" in gap:
                # "Price target: HK$15.00 (from HK$17.20) | Price (3 Jun close): HK$13.80": a field of a key-data
                # line names its own line; the metric of the field before does not carry
                self._clause_end(st)
                st["metrics"], st["segs"] = [], []
            if "other_firm" in st and t.start >= st["other_firm"][0]:
                name = st.pop("other_firm")[1]
                st["company"], st["ticker"], st["carried"] = name, None, True
            for k, ch in enumerate(gap):
                if ch in "(（":
                    st["saved_periods"].append(st["periods"])
                    inner = self._lead_company(text, prev_end + k + 1, ctx)
                    if inner and inner != st["company"] and "bracket_company" not in st:
                        # "（某某通信二季度资本开支同比下降9%）": an aside about another company, to its bracket's end
                        st["bracket_company"] = (len(st["saved_periods"]), st["company"], st["ticker"],
                                                 st.get("carried", False))
                        st["company"], st["ticker"], st["carried"] = inner, None, True
                elif ch in ")）" and st["saved_periods"]:
                    st["periods"] = st["saved_periods"].pop()
                    if st["from_mode"] and st.get("from_depth", 0) > len(st["saved_periods"]):
                        st["from_mode"] = False  # "(from HK$35.00)": the start ends with its bracket
                    bc = st.get("bracket_company")
                    if bc is not None and bc[0] > len(st["saved_periods"]):
                        st["company"], st["ticker"], st["carried"] = bc[1], bc[2], bc[3]
                        del st["bracket_company"]
            if (t.kind == "period" and len(t.periods) == 1 and t.periods[0].ptype == "instant" and st["periods"]
                    and st["periods"][-1].ptype == "instant" and _VS_BASE.search(gap)
                    and _VS_BASE_CHANGE.match(text, t.end)):
                # "三季度末存货…，较二季度末下降6.7%": a balance against an earlier date — the quarter end before
                # is the qoq change, the last year end a change since the year start (no measure)
                cur, base = st["periods"][-1].end, t.periods[0].end
                st["pending"] = "qoq" if _quarter_end_before(cur) == base else "since_start"
                st["dir"], st["dir_kind"] = 0, None
                prev_end = t.end
                st["last_tok"] = t
                i += 1
                continue
            if (t.kind == "period" and _VS_BASE.search(gap) and _VS_BASE_CHANGE.match(text, t.end) and t.periods
                    and t.periods[0].ptype != "instant"):
                # "较2023年同期增长50%": a change against a named base period; against the year before the
                # figures' own period it is the yoy change, against an earlier one no measure
                cur = st["periods"][-1] if st["periods"] else ctx.default_period
                ref_year = cur.end.year if cur is not None else (ctx.note_date or ctx.ref_date or dt.date.min).year
                if t.periods[-1].end.year == ref_year - 1 and (cur is None or t.periods[-1].ptype != "Q"
                                                               or t.periods[-1].end.month == cur.end.month):
                    st["pending"] = "yoy"
                elif cur is not None and cur.ptype == "Q" and cur.prior_quarter() == t.periods[-1]:
                    st["pending"] = "qoq"  # "三季度毛利率较二季度提升1.2个百分点": on the quarter before
                else:
                    st["vs_base"] = True
                prev_end = t.end
                st["last_tok"] = t
                i += 1
                continue
            if (t.kind == "period" and t.periods and _VS_FLAT_BEFORE.search(gap)
                    and _VS_FLAT.match(text, t.end)):
                # "资本开支预计与上年基本持平，约73亿美元": the year compared with, not the figure's period
                prev_end = t.end
                st["last_tok"] = t
                i += 1
                continue
            if t.kind == "period" and not t.periods and ctx.note_date and text.startswith(_CLOSE_AFTER, t.end):
                # "以10月27日收盘价6.95元计": a day named with no year dates the close (the latest such day)
                day = _close_day(t.text, ctx.note_date)
                if day is not None:
                    st["dates"] = [day]
            if (t.kind == "period" and len(t.periods) == 1 and t.periods[0].ptype == "FY"
                    and text.startswith("同期", t.end)):
                # "2024年同期": the span of the figures' own period, in that year
                cur = st["periods"][-1] if st["periods"] else ctx.default_period
                if cur is not None and cur.ptype in ("Q", "H", "9M") and cur.end.year > t.periods[0].end.year:
                    t.periods = [cur.in_year(t.periods[0].end.year)]
            if (t.kind == "period" and len(t.periods) == 1 and t.periods[0].ptype in ("Q", "H") and ctx.note_date
                    and _BARE_REL.fullmatch(t.text) and self._forecast_clause(text, toks, i)):
                # "公司指引四季度收入…", "预计下季度…": a quarter (half) with no year in a guidance clause is the
                # coming one, not the latest one that has ended
                coming = _coming(t.periods[0], ctx.note_date)
                if coming is not None:
                    t.periods = [coming]
            dp = ctx.default_period
            if (t.kind == "period" and len(t.periods) == 1 and t.periods[0].ptype == "Q" and ctx.note_date
                    and dp is not None and _BARE_REL.fullmatch(t.text) and (dp.end - t.periods[0].end).days > 250
                    and _SPEAKER.search(text, 0, t.start)):
                # "管理层：四季度收入增速12%-15%" in a note on Q3 results: a quarter named with no year by a speaker,
                # that would be the one of a year before the results reviewed, is the coming one
                coming = _coming(t.periods[0], ctx.note_date)
                if coming is not None:
                    t.periods = [coming]
            if (t.kind == "period" and t.text in ("全年", "本年", "年内") and dp is not None and dp.ptype == "FY"
                    and ctx.note_date and dp.end < ctx.note_date and t.periods and t.periods[0] != dp
                    and not self._forecast_clause(text, toks, i)):
                # "全年毛利率3.8%" in a review of the 2025 annual report published in April 2026: the year reviewed
                t.periods = [dp]
            if (t.kind == "period" and t.text == "全年" and st["explicit_period"] and len(st["periods"]) == 1
                    and st["periods"][-1].ptype in ("FY", "H", "9M", "Q") and not st["from_seen"]
                    and ctx.note_date and st["periods"][-1].end < ctx.note_date):
                # "披露的2025年年报显示，公司全年实现营收…": the year the sentence named, not the note's
                last = st["periods"][-1]
                t.periods = [last if last.ptype == "FY" else fy(last.end.year)]
            if t.kind == "period":
                self._on_period(st, t)
                prev_end = t.end
                st["last_tok"] = t
                i += 1
                continue
            if t.kind == "word" and t.cls == "intraday" and ctx.after_close and t.text in w.PRESS_TIME_WORDS:
                # "截至发稿，某某控股报8.20港元" in a note published after the close: the closing price
                t = Tok("word", t.start, t.end, t.text, cls="metric", payload=MetricRef("share_price_close"))
            if t.kind == "word" and t.cls == "peer":
                after = text[t.end:toks[i + 1].start if i + 1 < len(toks) else len(text)]
                # the name is no modifier of the metric after it ("同业X归母净利润")
                prev_end = t.end + self._on_peer(st, after)
                st["last_tok"] = t
                i += 1
                continue
            if t.kind == "word":
                self._on_word(st, t, gap, text[t.end:t.end + 2], text[t.end:t.end + 8])
                prev_end = t.end
                st["last_tok"] = t
                i += 1
                continue
            # a number group: values joined by list / range separators, each with a bracket block
            label = _UNKNOWN_LABEL.search(_CLAUSE_END.split(gap)[-1]) if _CLAUSE_END.search(gap) else None
            if label:
                st["metrics"], st["segs"] = [], []  # "，贷款总额5,231亿元": a line the lexicon does not know
            part = _PART_OF.search(gap)
            if part and _CJK_2.search(part.group(1)):
                # "应收账款余额12.0亿元，其中补贴款约7.5亿元": a part the lexicon does not name is not the line
                st["metrics"], st["segs"] = [], []
            group, j, kind = self._collect_group(text, toks, i)
            st["seen_num"] = True
            self._emit(text, offset, toks, group, kind, st, ctx, facts, market_in_sentence, j)
            last = group[-1]
            prev_end = last["end_all"]
            st["last_tok"] = toks[j - 1]
            i = j
        self.last_periods = st["saved_periods"][0] if st["saved_periods"] else st["periods"]
        if text.isascii() and self.last_periods and self.last_periods is not inherited and ctx.default_period:
            self.last_periods = self._en_topic_periods(text, toks, inherited)
        asof = st.get("asof_open")
        if asof is not None and self.last_periods and self.last_periods[-1].ptype == "FY" and \
                self.last_periods[-1].end < asof.end and self.last_periods[-1].label not in st.get("used", ()):
            # "截至6月末，合同负债…可覆盖2024年结转收入的1.5倍；货币资金…": the balance date that opens the
            # sentence holds for its next clauses, not a past year named inside one
            self.last_periods = [asof]
        if st["from_seen"]:
            self.last_from = (st["from_period"] or st.get("parallel_from"), bool(st.get("from_prior_year")))
        opener = st.get("opener")
        self.last_company = opener if (opener and st["company"] == opener and opener != ctx.company) else None
        return facts

    @staticmethod
    def _en_topic_periods(text: str, toks: list[Tok], inherited: list[Period] | None) -> list[Period]:
        """In a note whose results period is known, English carries a period to the next sentence when it is the
        sentence's topic ("In 3Q25, …", "For FY25 revenue …"), named before its first figure; "2H25 revenue
        rose …" or "… growth in 1H25" date their own figures only."""
        topic = None
        for t in toks:
            if t.kind == "num" and t.amount is not None:
                break
            if t.kind == "period" and t.periods and t.periods[0].kind != "date" and (
                    _EN_TOPIC_BEFORE.search(text, 0, t.start) or _EN_TOPIC_AFTER.match(text, t.end)):
                topic = t.periods
        return topic or inherited or []

    @staticmethod
    def _flat_tokens(text: str, toks: list[Tok]) -> list[Tok]:
        """A change said to be flat becomes a figure of 0 where the change word stands next to it: "同比持平" right
        after 同比 / 环比, "flat YoY" right before the English change word."""
        added = []
        for k, t in enumerate(toks):
            if t.cls not in ("yoy", "qoq"):
                continue
            if t.text.isascii():
                m = _FLAT_EN.search(text, toks[k - 1].end if k else 0, t.start)
                if m is None or text[m.end():t.start].strip():
                    continue
            else:
                m = _FLAT_CN.match(text, t.end)
                if m is None or (k + 1 < len(toks) and toks[k + 1].start < m.end()):
                    continue
            clause = _CLAUSE_END.split(text[:m.start()])[-1]
            if _FLAT_NOT.search(clause):
                continue  # "增速同比持平": a growth rate's change, no measure
            added.append(Tok("num", m.start(), m.end(), m.group(0), cls="flat", amount=_FLAT_AMOUNT))
        return sorted(toks + added, key=lambda x: x.start) if added else toks

    def _lead_company(self, text: str, pos: int, ctx: NoteContext) -> str | None:
        """A company-like name (a CJK run ending in a company suffix) that opens the text at pos and is followed by
        a period or a metric ("某某科技2024年上半年营收…"); None for the subject, a period, a metric or a segment."""
        lead = _LEAD_COMPANY.match(text, pos) if pos == 0 else _LEAD_COMPANY_AT.match(text, pos)
        if (lead and lead.group(1) != ctx.company and not lead.group(1).startswith(_NOT_COMPANY)
                and not _PERIOD_START.match(lead.group(1))  # "第三季度行业云毛利率…": a period, then a segment
                and self.vocab.lookup(lead.group(1))[0] in ("", "company")
                and not any(lead.group(1).startswith(seg) for seg in self.vocab.segment_names)):
            return lead.group(1)
        return None

    @staticmethod
    def _forecast_clause(text: str, toks: list[Tok], i: int) -> bool:
        """A forecast word (预计, 指引 …) in the clause of token i, before or after it."""
        k = i - 1
        while k >= 0 and not _CLAUSE_END.search(text, toks[k].end, toks[k + 1].start):
            if toks[k].cls == "forecast":
                return True
            k -= 1
        k = i + 1
        while k < len(toks) and not _CLAUSE_END.search(text, toks[k - 1].end, toks[k].start):
            if toks[k].cls == "forecast":
                return True
            k += 1
        return False

    def _on_peer(self, st, after: str) -> int:
        """"同业华岳电子同期…", "竞争对手恒川科技为…": the figures that follow are the named peer's. A peer
        group ("同业平均", "同行业公司整体") is no company: its clause gives nothing. Returns the length of
        text taken as the name (the reader goes on after it)."""
        part = _CLAUSE_END.split(after, maxsplit=1)[0]
        name = _PEER_TAIL.sub("", _PEER_HEAD.sub("", part.strip()))
        if not _PEER_NAME.fullmatch(name):
            return 0
        if _PEER_GENERIC.search(name):
            st["industry"] = True
            return 0
        st["company"], st["ticker"], st["peer"] = name, None, True
        return len(part)

    def _clause_end(self, st):
        if st["pending"]:
            st["sticky"] = st["pending"]
        st["pending"] = None
        st["dir"] = 0
        st["dir_kind"] = None
        st["loss"] = False
        st["cagr"] = False
        st["share_of"] = False
        st["source_of"] = False
        # an industry subject ("行业平均毛利率…") holds for its clause, and for the next ones while they name no
        # line or subject of their own ("规上企业利润总额…，同比增长6%")
        st["industry_carry"] = st["industry"] or st.get("industry_carry", False)
        st["industry"] = False
        st["revise"] = False
        st["both"] = False
        st["gain_qoq"] = False
        st["rate_noun"] = False
        st["vs_base"] = False
        st["from_mode"] = False
        st["to_mode"] = False

    def _on_period(self, st, t: Tok):
        if not t.periods:
            return
        if any(p.kind == "date" for p in t.periods):
            st["dates"] = t.periods
            return
        if t.periods[-1].kind == "asof" and t.periods[-1].ptype == "instant" and not st.get("seen_num"):
            st["asof_open"] = t.periods[-1]  # "截至6月末，…": the balance date of the sentence
        st["periods"] = t.periods
        st["gain_qoq"] = False  # "环比转正（一季度为…）": the bracket names the quarter itself
        st["single_q"] = False
        st["month"] = False
        st["period_end"] = t.end
        st["explicit_period"] = True
        st["asof_here"] = t.periods[-1].ptype == "instant"
        st.setdefault("years_named", {}).update({p.label: p for p in t.periods if p.ptype == "FY"})
        st["since_marker"] = True
        if not st["from_mode"] and not st["to_mode"]:
            # a clause that names its own period ("…至4Q22的67%，2023年Q1毛利率从去年同期的…"): the dates of an
            # earlier from/to pair are not this clause's
            st["from_period"] = st["to_period"] = None
        if st["from_mode"] and len(t.periods) == 1:
            st["from_period"] = t.periods[0]
            if "pre_from" in st and t.periods[0].ptype != "instant":
                # "占比由2023年的21.0%提升至30.5%": the year dates the start only; the end is the period before it
                st["from_dated"] = True
        if st["to_mode"] and len(t.periods) == 1:
            st["to_period"] = t.periods[0]

    def _on_word(self, st, t: Tok, gap: str, text_after: str = "", text_after_long: str = ""):
        cls = t.cls
        last = st["last_tok"]
        if cls in ("metric", "metric_list", "segment", "company", "company_word"):
            st["industry_carry"] = False
            if cls in ("company", "company_word"):
                st["source_lead"] = False
        if cls == "metric":
            ref: MetricRef = t.payload
            after_segment = last is not None and last.cls == "segment" and len(gap.strip()) <= 2
            excluding = _EXCLUDING.search(gap)
            if (excluding and "非经常性损益" in excluding.group(0)
                    and ref.code in ("net_profit", "net_profit_attributable")):
                # "扣除非经常性损益后的归属于上市公司股东的净利润": the deducted line, however it is spelt
                ref, excluding = MetricRef("net_profit_attributable_deducted", ref.loss), None
            month = _MONTH_BEFORE.search(st["text"], 0, t.start)
            if month and st.get("period_end", -1) <= month.start():
                st["month"] = True  # not "2025年1-9月营收" (a period token)
            if (_MODIFIED.search(gap) and not _MODIFIER_OK.search(gap) and not after_segment) or \
                    (_REGION_BEFORE.search(gap) and not after_segment) or \
                    text_after.startswith(_RATIO_SUFFIX) or excluding or _COMBINED_AFTER.match(text_after_long):
                # "海外营收", "扣非净利润", "归母净利率": a qualified line; "销售费用率": another (ratio) metric
                st["metrics"] = []
                return
            if (ref.code in SHARE_METRICS and last is not None and last.cls in ("metric", "metric_list")
                    and not gap.strip()):
                # "投资收益占收入比例", "销售费用占营收比重": another line's share of revenue, no company fact
                st["metrics"] = []
                return
            joined = last is not None and last.cls in ("metric",) and _METRIC_JOIN.match(gap)
            st.setdefault("metrics_seen", [])
            if joined:
                st["metrics"].append(ref)
            else:
                st["metrics"] = [ref]
            # "行业云收入5.10亿元，同比-3.6%，毛利率18.7%": the margin of the segment's own revenue stays with the
            # segment (within its clause); another line after a segment's figure is the company's
            base = next((c for c in reversed(st["metrics_seen"]) if c not in SHARE_METRICS), None)
            own_margin = (st["seg_bound"] and ref.code in self.margin_codes and base is not None
                          and not (last is not None and last.cls in ("company", "company_word"))
                          and not _WHOLE_COMPANY.search(gap)
                          and (base == "revenue" or self.margin_of.get(base) == ref.code))
            if ref.company_level or (st["seg_bound"] and ref.code not in SHARE_METRICS and not joined
                                     and not own_margin):
                st["segs"] = []
            st["seg_bound"] = bool(st["segs"])
            st["metrics_seen"].append(ref.code)
            if st["source_of"] and not st["segs"]:
                st["metrics"] = []  # "来自X的收入" with X not a known segment
            st["loss"] = ref.loss
            st["loss_off"] = False
        elif cls == "metric_list":
            st["metrics"] = list(t.payload)
            st["segs"] = []
            st["loss"] = False
        elif cls == "segment":
            code, implied = t.payload
            joined = last is not None and last.cls == "segment" and _METRIC_JOIN.match(gap)
            st["segs"] = [*st["segs"], code] if joined else [code]
            st["seg_bound"] = False
            st["source_of"] = False
            if implied:
                st["metrics"] = [MetricRef(implied)]
                st["seg_bound"] = True
        elif cls == "margin_rel":
            if st["metrics"]:
                base = st["metrics"][-1].code
                if base in self.margin_of:
                    st["metrics"] = [MetricRef(self.margin_of[base])]
                elif self.vt.get(base) != "ratio":
                    st["metrics"] = []
        elif cls == "company":
            name = t.payload
            st["company"] = name
            st["peer"] = st["carried"] = False
            if not st["metrics"] and not st.get("seen_num"):
                st["opener"] = name  # "2. 某某(688390)：…": the line is about it, across its "；" clauses
            st["ticker"] = None if name != self._subject_name(st) else st["ticker"]
            st["industry"] = False
            st["company_override"] = name
        elif cls == "uncoded":
            st["metrics"] = []
            st["segs"] = []
        elif cls == "product":
            st["product"] = True  # the product's figures, to the sentence end or until 公司 comes back
        elif cls == "company_word":
            st["industry"] = False
            st["product"] = False
            if st.get("peer") or st.get("carried"):
                # "…；公司毛利率…": back to the note's subject after a peer or a carried digest company
                st["company"], st["ticker"] = st["subject_company"], st["subject_ticker"]
                st["peer"] = st["carried"] = False
        elif cls in ("yoy", "qoq", "since_start"):
            st["pending"] = cls
            st["dir"] = 0
            st["dir_kind"] = None
        elif cls == "both":
            st["pending"] = None
            st["both"] = True  # "同环比分别+1.2/+3.0pct": a pair of values, yoy then qoq
        elif cls in ("up", "down", "narrow", "widen"):
            st["dir"] = 1 if cls in ("up", "widen") else -1
            st["dir_kind"] = cls
            st["dir_word"] = t.text
            st["rate_noun"] = t.text in w.RATE_NOUN_WORDS
            if t.text.endswith(("至", "到")) or t.text.lower() in ("to",):
                self._on_to(st)
        elif cls == "loss":
            st["loss"] = True
            named = self.vocab.entries.get(t.text.capitalize()) if t.text.isascii() else None
            if named is not None and named[0] == "metric" and not st["metrics"]:
                # "In 3Q25, net loss was RMB3.1bn": with no metric before it, the loss word is the line's name
                st["metrics"], st["loss_off"] = [named[1]], False
        elif cls == "gain":
            st["loss"] = False
            if st["pending"] in ("yoy", "qoq"):
                # "同比扭亏为盈（上年同期为-2.10亿元）", "环比转正（一季度为-0.30亿元）": the change is said in words;
                # a level may follow (after 环比 with no period of its own: the quarter before)
                st["gain_qoq"] = st["pending"] == "qoq"
                st["pending"] = None
        elif cls == "forecast":
            if t.text.isascii() and _VS_ESTIMATE_NOUN.search(gap):
                return  # "missed our estimate", "in line with consensus forecasts": a comparison, no forecast
            st["forecast"] = True
        elif cls == "prior":
            st["prior"] = True
        elif cls == "revise":
            st["revise"] = True
        elif cls == "prior_year_vs":
            st["prior_year"] = True
            st["loss_off"] = True
            st["loss"] = False
            st["pending"], st["sticky"] = None, "yoy"  # the change that follows the compared level
        elif cls == "prior_year":
            st["prior_year"] = True
            if text_after[:1] in ("，", ",", "：", ":") and not st.get("seen_num"):
                st["prior_year_topic"] = True  # "上年同期，归母净利润…，扣非净利润…": every clause after it
            st["loss_off"] = True  # "净亏损X，去年同期为Y": Y is a loss only if the note says so again
            st["loss"] = False
        elif cls == "industry":
            st["industry"] = True
        elif cls == "intraday":
            st["intraday"] = True
        elif cls == "condition":
            if t.text in w.GUIDANCE_BOUND_WORDS and st["forecast"] and not st.get("target"):
                return  # a forecast's lower bound, said by the company or the analyst
            st["target"] = st.get("target") or t.text not in w.GUIDANCE_BOUND_WORDS
            st["industry"] = True  # same effect: nothing in this clause is a company fact
        elif cls == "single_q":
            st["single_q"] = True
        elif cls == "cagr":
            st["cagr"] = True
        elif cls == "share_of":
            st["share_of"] = True
        elif cls == "source_of":
            st["source_of"] = True
        elif cls == "from":
            if t.text.isascii() and not _EN_FIGURE.match(text_after_long):
                return  # English "from" before a figure only ("to 23.6% from 19.2%")
            rate = _EN_FROM_RATE.match(st["text"], t.end) if t.text.isascii() else None
            if rate:
                # "a slowdown from 13.0% growth in 1H25": the rate of an earlier period, no starting level; its sign
                # is the noun after it, not a "down from" before it
                st["dir"] = -1 if rate.group(1) in ("decline", "drop") else 1
                st["dir_kind"] = "down" if st["dir"] < 0 else "up"
                return
            st["from_seen"] = True
            st["from_mode"] = True
            st["pre_from"] = (list(st["periods"]), st["explicit_period"])
            st["from_dated"] = False
            st["from_depth"] = len(st["saved_periods"])
            st["to_mode"] = False
            st["since_marker"] = False
        elif cls == "to":
            self._on_to(st)
        elif cls == "year_start":
            cur = st["periods"][-1] if st["periods"] else st.get("default_period")
            if cur is None or cur.kind == "reportend":
                return
            day = instant(dt.date(cur.end.year - 1, 12, 31), "asof")
            if st["from_mode"]:
                st["from_period"] = day  # "由年初的12.4亿元": the opening balance
            elif t.text != "年初":
                self._on_period(st, Tok("period", t.start, t.end, t.text, periods=[day]))  # "截至上年末"

    def _on_to(self, st):
        if st["from_seen"] and st.get("from_dated") and st["from_mode"]:
            st["periods"], st["explicit_period"] = st["pre_from"]
            st["from_dated"] = False
        if st["from_seen"]:
            st["to_mode"] = True
            st["from_mode"] = False
            st["since_marker"] = False

    @staticmethod
    def _subject_name(st):
        return st.get("subject")

    def _collect_group(self, text, toks, i):
        """Values joined by list / range separators; a bracket right after a value is its block."""
        group = []
        kind = "single"
        j = i
        while j < len(toks) and toks[j].kind == "num":
            t = toks[j]
            item = {"tok": t, "attach": [], "end_all": t.end}
            j += 1
            # bracket block right after the value
            after = text[t.end:]
            bm = _OPEN_BRACKET.match(after)
            if bm:
                close = _CLOSE_BRACKET.search(after)
                if close:
                    bstart, bend = t.end + bm.end(), t.end + close.start()
                    inner = [k for k in range(j, len(toks)) if toks[k].start >= bstart and toks[k].end <= bend]
                    # "（上年同期：0.31亿元）" is no block of the value: the prior-year level, read on
                    self_contained = not any(toks[k].kind == "period" or toks[k].cls in _NOT_A_BLOCK for k in inner)
                    if self_contained and inner:
                        item["attach"] = [toks[k] for k in inner]
                        item["end_all"] = t.end + close.end()
                        j = inner[-1] + 1
                    elif self_contained:
                        item["end_all"] = t.end + close.end()
            group.append(item)
            if (j + 1 < len(toks) and toks[j].kind == "word" and toks[j].cls == "to" and toks[j + 1].kind == "num"
                    and len(group) == 1 and _RANGE_SEP.match(text[item["end_all"]:toks[j + 1].start])
                    and _same_kind(t.amount, toks[j + 1].amount)):
                j += 1  # "734万元至838万元": a range, not a from/to
                kind = "range"
                continue
            if j < len(toks) and toks[j].kind == "num":
                sep = text[item["end_all"]:toks[j].start]
                nxt_amt = toks[j].amount
                if t.amount is not None and nxt_amt is not None and len(group) == 1 and (
                        (sep == "" and toks[j].text[:1] in "-–") or _RANGE_SEP.match(sep)):
                    merged = merge_range_ends(t.amount, nxt_amt)
                    if merged is not None:
                        t.amount, toks[j].amount = merged
                        kind = "range"
                        continue
                if (sep == "" and len(group) == 1 and toks[j].text[:1] in "-–" and nxt_amt is not None
                        and _same_kind(t.amount, nxt_amt)):
                    # "12.9-15.0亿元": the dash is the range, not a sign
                    toks[j].amount = Amount(abs(nxt_amt.value), nxt_amt.unit, nxt_amt.kind, nxt_amt.decimals, False,
                                            nxt_amt.scaled, nxt_amt.scale)
                    kind = "range"
                    continue
                if (sep.strip() == "/" and len(group) == 1 and not item["attach"] and t.amount is not None
                        and nxt_amt is not None and nxt_amt.explicit_sign
                        and ((t.amount.kind == "amount" and nxt_amt.unit == "%")
                             or (t.amount.unit == "%" and nxt_amt.unit == "pp"))):
                    # "营收5.2亿元/+18%", "毛利率32.1%/+1.2pct": the signed change of the value, as in brackets
                    item["attach"] = [toks[j]]
                    item["end_all"] = toks[j].end
                    j += 1
                    break
                if _LIST_SEP.match(sep):
                    kind = "list" if kind != "range" else kind
                    continue
                if _RANGE_SEP.match(sep) and len(group) == 1:
                    kind = "range"
                    continue
            break
        return group, j, kind

    # ---------------------------------------------------------------- emission
    def _value_measure(self, st, metric: str, amount: Amount, pending: str | None):
        """(measure, ok) for a value of this metric given the change context."""
        vt = self.vt.get(metric, "amount")
        change = pending or st["sticky"]
        if pending == "since_start" or (
                (st.get("vs_base") or (pending is None and st["sticky"] == "since_start"))
                and amount.unit in ("%", "pp")):
            # a change since the year start is neither yoy nor qoq (a level in a later clause is still a level:
            # "股价报15.20元，较年初上涨12%，总市值98.0亿元")
            return None
        if change is None and (st.get("rate_noun") or st["dir"]) and not st["from_seen"] \
                and self.cat.get(metric) in ("income", "cash_flow", "per_share"):
            # "归母净利润1.71亿元，降幅为27.2%", "预计2026年收入增长20%左右": a flow's change on a year before
            change = "yoy"
        if amount.unit == "pp":
            # "毛利率提升1.1个百分点" with no 同比 / 环比: a margin's move on a year before, like a flow's % above
            if vt == "ratio" and change:
                return change + "_pp"
            return None
        if amount.unit == "%":
            if st["cagr"] or st["share_of"]:
                return None
            if vt == "ratio":
                return "level" if not pending else None
            if vt in ("amount", "per_share", "count") and change:
                return change
            return None
        if amount.kind == "amount":
            if vt == "amount" and not pending:
                return "level"
            if vt == "per_share" and not amount.scaled and not pending:
                return "level"
            return None
        if amount.unit == "x":
            return "level" if vt == "multiple" else None
        if amount.unit == "shares":
            return "level" if vt == "count" else None
        return None

    def _sign(self, st, measure: str, amount: Amount, ref: MetricRef) -> float:
        v = amount.value
        loss = st["loss"] or (ref.loss and not st.get("loss_off"))
        if measure == "level":
            if not amount.explicit_sign and loss and self.vt.get(ref.code) in ("amount", "ratio", "per_share"):
                return -abs(v)
            return v
        if amount.explicit_sign:
            return v
        d = st["dir"]
        kind = st["dir_kind"]
        if d == 0:
            return v
        if kind == "narrow":
            return abs(v) if (loss or st.get("neg_level") or st.get("dir_word") == "减亏") else -abs(v)
        if kind == "widen":
            return -abs(v) if (loss or st.get("neg_level")) else abs(v)
        if loss:
            d = -d
        return abs(v) * d

    def _period_for(self, st, ref: MetricRef, ctx: NoteContext, paired: Period | None,
                    market_in_sentence: bool, prior_year: bool = False) -> Period | None:
        code = ref.code
        cat = self.cat.get(code, "")
        note = ctx.note_date
        if code in MARKET_INSTANT:
            if code == "share_price_close" and st.get("close_after") is not None:
                return st["close_after"]
            if code == "share_price_close" and st.get("en_close") is not None:
                return st["en_close"]
            if st["dates"]:
                return st["dates"][-1]
            if (st["periods"] and st["periods"][-1].ptype == "instant" and st["periods"][-1].kind != "reportend"
                    and st.get("asof_here")):
                # "截至2025年11月20日收盘，股价…"; a balance date of the previous sentence does not date a price
                return st["periods"][-1]
            return instant(note) if note else None
        p = paired
        if p is None:
            if st["from_seen"] and (st["from_mode"] or st["to_mode"]) and not st["since_marker"]:
                p = st["from_period"] if st["from_mode"] else st["to_period"]
                par = st.get("parallel_from")
                if p is None and st["from_mode"] and par is not None and (par.ptype == "instant") == (cat == "balance"):
                    p = par  # "…；应收账款从15.2亿元增加至16.9亿元": dated like the parallel clause before it
                if p is None and st["from_mode"] and not prior_year:
                    return None  # an undated starting value ("从37.5亿元增至…"); a replaced forecast is dated
            if p is None and st["periods"]:
                p = st["periods"][-1]
            if st["from_seen"] and st["from_mode"] and p is not None and p.ptype == "instant" and cat != "balance":
                return None  # "毛利率由年初的20%…", "由2024年末的19%": a flow's start at a date has no period
        if cat == "balance":
            if market_in_sentence and note:
                return instant(note)
            if p is None or p.kind == "reportend":
                d = ctx.default_period
                if d is None:
                    return None
                return instant(d.end)
            if p.ptype in ("Q", "H", "9M"):
                return instant(p.end)
            asof = st.get("asof_open")
            if p.ptype == "FY" and asof is not None and p.end < asof.end and p.label not in st.get("used", ()):
                return asof  # a past year named inside a sentence dated 截至… ("可覆盖2024年结转收入")
            return p
        if cat == "valuation":
            if (p is None or p.ptype != "FY") and st["dates"] and _TRAILING.search(st["text"]):
                return st["dates"][-1]  # "以11月18日收盘价计算，近12个月股息率约4.9%": trailing, at that close
            return p if (p is not None and p.ptype == "FY") else None
        if code in POINT_IN_TIME_PER_SHARE and p is not None and p.ptype == "instant" and p.kind == "asof":
            return p  # "截至三季度末每股净资产14.6元": a per-share stock, dated like a balance
        if st.get("month") and paired is None:
            return None  # a month's flow ("3月单月营收…"): no period of the gold's formats
        if p is not None and (p.ptype == "instant" or p.kind == "reportend") and paired is None:
            p = None  # a flow figure after a balance date ("截至9月末…。毛利率…"): not dated by it
        if p is None:
            p = ctx.default_period
            st["period_from_note"] = True
        if p is None or p.ptype == "instant" or p.kind == "reportend":
            return None
        if st.get("single_q") and paired is None and p.ptype in ("9M", "H", "FY"):
            p = quarter(p.end.year, p.end.month // 3)  # "单季度毛利率" in a 三季报 note: Q3 alone
        return p

    def _emit(self, text, offset, toks, group, kind, st, ctx: NoteContext, facts, market_in_sentence, j_next):
        revise_after = False
        for r in toks[j_next:]:
            if _CLAUSE_END.search(text[group[-1]["end_all"]:r.start]):
                break
            if r.cls == "revise":
                revise_after = True
                break
        # "预测由A下调至B" / "上调…预测，由A至B": A is the replaced forecast
        prior = st["prior"] or (st["from_mode"] and (st["revise"] or revise_after))
        prior_year = st["prior_year"]
        st["prior"] = False
        st["prior_year"] = bool(st.get("prior_year_topic"))
        pending = st["pending"]
        if pending is None and j_next < len(toks):
            # English puts the change word after the figure: "up 27.6% year-over-year"
            for r in toks[j_next:j_next + 3]:
                if r.kind == "num" or _CLAUSE_END.search(text[group[-1]["end_all"]:r.start]):
                    break
                if r.cls in ("yoy", "qoq") and r.text.isascii() and len(r.text) >= 3:
                    pending = r.cls
                    r.cls = "used"  # consumed here; it does not apply to the next figure
                    break
        if not (prior_year and prior) and j_next < len(toks):
            # English: "…of RMB140 million a year earlier", "…from RMB11.9 billion previously"
            for r in toks[j_next:j_next + 2]:
                if r.kind == "num" or _CLAUSE_END.search(text[group[-1]["end_all"]:r.start]):
                    break
                if r.cls in ("prior_year", "prior") and r.text.isascii():
                    prior_year = prior_year or r.cls == "prior_year"
                    prior = prior or r.cls == "prior"
                    r.cls = "used"
                    break
        if text.isascii() and j_next < len(toks):
            # English puts the period last: "Revenue grew 25% YoY to RMB3.2bn in 3Q25"; a period right after the
            # figure ("…from US$30.1m in 3Q24") is its own even when the sentence named another before
            for r in toks[j_next:]:
                if _CLAUSE_END.search(text[group[-1]["end_all"]:r.start]):
                    break
                if r.kind == "period" and r.periods and r.periods[0].ptype != "instant":
                    right_after = _EN_PERIOD_AFTER.fullmatch(text, group[-1]["end_all"], r.start) is not None
                    if right_after and st["from_mode"] and len(r.periods) == 1:
                        st["from_period"] = r.periods[0]
                    elif right_after or not st["explicit_period"]:
                        st["periods"] = r.periods
                    break
        from_mode = st["from_mode"]
        cmp_prior = None
        if (from_mode and st["from_seen"] and st["from_period"] is None and pending in ("yoy", "qoq")
                and not prior and not prior_year):
            # "毛利率同比由28.1%提升至31.5%": a start compared 同比 / 环比 is the level of the year (quarter) before
            cmp_prior, pending = pending, None
            prior_year = cmp_prior == "yoy"
        elif (from_mode and st["from_seen"] and st["from_period"] is None and pending is None and not prior
              and not prior_year and st.get("from_prior_year")
              and not any(self.cat.get(m.code) == "balance" for m in st["metrics"])):
            # "毛利率从去年同期的20.3%提升至22.1%，净利率由8.1%上升至9.2%": the parallel start is a year earlier too
            # (a balance's undated start is rather the year start: left out)
            prior_year = True
        if from_mode and st["from_seen"] and prior_year:
            st["from_prior_year"] = True
        gain_qoq = st.pop("gain_qoq", False) and pending is None and cmp_prior is None and not prior_year
        if gain_qoq:
            cmp_prior = "qoq"
        if st["intraday"] or st["industry"] or st.get("product") or st.get("industry_carry"):
            return
        if st.get("source_lead") and any(self.cat.get(m.code) in ("income", "balance", "cash_flow")
                                         for m in st["metrics"]):
            return
        g0 = group[0]["tok"].start
        if _VS_ESTIMATE_AFTER.match(text, group[-1]["end_all"]) or _VS_ESTIMATE_BEFORE.search(
                text, max(0, g0 - 14), g0):
            return
        if text.endswith(("by ", "by about ", "by around ", "by roughly ", "by some "), 0, g0) and \
                _VS_ESTIMATE_BY.search(text, max(0, g0 - 60), g0):
            return
        close = _CLOSE_DAY_AFTER.match(text, group[-1]["tok"].end)
        st["close_after"] = None
        if close and ctx.note_date:
            # "当前价格：16.30元（2025年6月12日收盘）": the close the bracket after the price names
            st["close_after"] = _close_day(f"{close['m']}月{close['d']}日", ctx.note_date) if not close["y"] else \
                _safe_day(int(close["y"]), int(close["m"]), int(close["d"]))
        metrics = list(st["metrics"])
        # value before its metric: "计提了6.4亿元长期资产减值" (that metric has no number of its own after it)
        end_all = group[-1]["end_all"]
        nxt = toks[j_next] if j_next < len(toks) else None
        postfix = False
        last_amt = group[-1]["tok"].amount
        multiples = last_amt is not None and last_amt.kind == "multiple" and all(
            g["tok"].amount is not None and g["tok"].amount.kind in ("multiple", "bare") for g in group)
        post_period = None
        if (multiples and nxt is not None and nxt.kind == "period" and nxt.periods and j_next + 1 < len(toks)
                and toks[j_next + 1].cls == "metric" and self.vt.get(toks[j_next + 1].payload.code) == "multiple"
                and not text[end_all:nxt.start].strip()
                and not text[nxt.end:toks[j_next + 1].start].strip()):
            # "2.1x FY25E P/S": a multiple, its year, then the multiple's name
            post_period = nxt.periods
            nxt = toks[j_next + 1]
        if nxt is not None and nxt.cls == "metric":
            gap = text[end_all:nxt.start]
            clause_has_num = False
            for r in toks[j_next + 1:]:
                if _CLAUSE_END.search(text[nxt.end:r.start]):
                    break
                if r.kind == "num":
                    clause_has_num = True
                    break
            amounts_only = multiples or all(
                g["tok"].amount is not None and g["tok"].amount.kind in ("amount", "multiple") for g in group)
            # a multiple is written before its name with a space too ("13-14x PE")
            near = _CJK_1_4.fullmatch(gap) or gap == "" or (
                multiples and not gap.strip() and self.vt.get(nxt.payload.code) == "multiple")
            # "19x FY26E P/E and implies 39% upside": a multiple, its year and its name leave no doubt
            if (near or post_period) and amounts_only and (not clause_has_num or post_period):
                metrics = [nxt.payload]
                postfix = True
                if post_period:
                    st["periods"] = post_period
        growth_noun = _GROWTH_NOUN.match(text, end_all)
        if growth_noun and group[-1]["tok"].amount is not None and group[-1]["tok"].amount.unit == "%":
            # "约25%的增速": a growth rate named after its figure
            pending = pending or st["sticky"] or ("qoq" if growth_noun.group(1) else "yoy")
        elif not postfix and text[end_all:end_all + 2].lstrip().startswith("的"):
            if not _GUIDANCE_AFTER.match(text, end_all):
                return  # "15.6亿元的采购目标": the amount of something the lexicon does not know
            st["forecast"] = True  # "维持全年资本开支18-20亿元的指引": the metric's guided value
        if not metrics:
            return
        amounts = [g["tok"].amount for g in group]
        first_tok = group[0]["tok"]
        to_level = pending is not None and text[max(0, first_tok.start - 3):first_tok.start].rstrip().endswith(
            ("至", "到"))
        # unit-less list members take the unit written after the last one
        last_unit = next((a for a in reversed(amounts) if a is not None and a.unit), None)
        filled = []
        for a in amounts:
            # "RMB1.2/1.4/1.6bn": a first member with the currency but not the scale takes the scale too
            ccy_only = (a is not None and last_unit is not None and a.kind == "amount" and a.ccy_written
                        and not a.scaled and last_unit.scaled and a.unit == last_unit.unit)
            if a is not None and (a.unit is None or ccy_only) and last_unit is not None and len(amounts) > 1:
                v = float(f"{a.value * last_unit.scale:.10g}")
                dec = a.decimals - round(math.log10(last_unit.scale))
                a = Amount(v, last_unit.unit, last_unit.kind, dec, a.explicit_sign, last_unit.scaled,
                           last_unit.scale)
            filled.append(a)
        flat = _FLAT_TO.search(text, max(0, g0 - 12), g0) if len(group) == 1 else None
        if flat and filled[0] is not None and filled[0].unit in ("%", "pp") and (pending or st["sticky"]):
            # "收入环比持平至增长3%": the range 0-3%
            a0 = filled[0]
            group = [{"tok": Tok("num", flat.start(), flat.start() + 2, "持平"), "attach": [],
                      "end_all": flat.start() + 2}, *group]
            filled = [Amount(0.0, a0.unit, a0.kind, 0, False, False), a0]
            kind = "range"
        n = len(group)
        segs = st["segs"]
        periods = st["periods"]
        keys = []
        pair_changes = None
        if n == 1 or kind == "range":
            keys = [(metrics[-1], segs[-1] if segs else "", None)] * n
            if len(periods) > 1 and n == 1 and kind != "range":
                # "2020-2023年营业收入由8.10亿元增长至12.30亿元": the start is the span's first year
                start = st["from_seen"] and st["from_mode"] and st["from_period"] is None and not st["since_marker"]
                keys = [(metrics[-1], segs[-1] if segs else "", periods[0] if start else periods[-1])]
        elif len(metrics) == n:
            keys = [(m, segs[-1] if segs else "", None) for m in metrics]
        elif len(segs) == n:
            keys = [(metrics[-1], s, None) for s in segs]
        elif len(periods) == n:
            keys = [(metrics[-1], segs[-1] if segs else "", p) for p in periods]
        elif kind == "list" and self._years_named(st, n):
            # "2025-2026年…，新增2027年预测…，对应EPS分别为a/b/c元": the years the sentence named, in order
            periods = self._years_named(st, n)
            keys = [(metrics[-1], segs[-1] if segs else "", p) for p in periods]
        elif st.get("both") and n == 2 and kind == "list" and pending is None:
            # "毛利率30.2%，同环比分别提升1.5/0.8pct": the one metric's yoy then qoq change
            keys = [(metrics[-1], segs[-1] if segs else "", None)] * 2
            pair_changes = ["yoy", "qoq"]
        elif (kind == "list" and pending in ("yoy", "qoq") and "分别" in text[max(0, g0 - 8):g0]
              and len(st.get("level_refs", [])) >= n and len({(r.code, s) for r, s in st["level_refs"][-n:]}) == n):
            # "营收20.5亿元、归母净利润2.3亿元，同比分别+11.0%、+14.5%": the changes of the levels just listed, in order
            keys = [(r, s, None) for r, s in st["level_refs"][-n:]]
        else:
            return
        if len(periods) > 1 and n > 1 and len(periods) != n and not any(k[2] for k in keys):
            return  # a list of years that does not line up with the values
        for gi, (g, a, (ref, seg, paired)) in enumerate(zip(group, filled, keys, strict=True)):
            if a is None:
                continue
            if pair_changes:
                pending = pair_changes[gi]
            if g["tok"].cls == "flat":
                if not (pending or st["sticky"]):
                    continue
                a = Amount(0.0, "pp" if self.vt.get(ref.code) == "ratio" else "%", "ratio", 0, False, False)
            if len(periods) > 1 and paired is None and n == 1:
                paired = periods[-1]
            if paired is None and len(periods) > 1 and n > 1:
                continue
            if ref.code not in SEGMENTABLE:
                seg = ""
            if ref.code in SHARE_METRICS and not seg:
                continue  # "研发投入…，占营收比重16.5%": a share with no segment is another line's, not a fact
            vt = self.vt.get(ref.code)
            level_after_to = to_level and ((a.kind == "amount" and vt in ("amount", "per_share"))
                                           or (a.unit == "%" and vt == "ratio"))
            # "营收同比增长至10亿元", "毛利率同比提升至31.5%": the figure after 至 is the level it reached
            measure = self._value_measure(st, ref.code, a, None if level_after_to else pending)
            if (measure is None and a.unit == "%" and (pending or st["sticky"]) == "since_start"
                    and self.cat.get(ref.code) == "balance" and self.vt.get(ref.code) == "amount"):
                # "报告期末，总资产45.00亿元，较期初增长8.0%" at a year end: the change on a year before
                at = self._period_for(st, ref, ctx, paired, market_in_sentence)
                if at is not None and at.ptype == "instant" and (at.end.month, at.end.day) == (12, 31):
                    measure = "yoy"
            if measure is None or (ref.code in MARKET_INSTANT and measure != "level"):
                continue
            if from_mode and st["from_seen"] and measure != "level":
                continue
            st["period_from_note"] = False
            period = self._period_for(st, ref, ctx, paired, market_in_sentence,
                                      prior_year or prior or cmp_prior is not None)
            if period is None:
                continue
            st.setdefault("used", set()).add(period.label)  # the periods that dated a fact of this sentence
            if prior_year and measure in ("level",) and ref.code not in MARKET_INSTANT:
                period = period.prior_year()
            elif cmp_prior == "qoq":
                period = period.prior_quarter() if measure == "level" else None
                if period is None:
                    continue
            value = self._sign(st, measure, a, ref) or 0.0  # no -0.0 ("持平至下降2%")
            if measure == "level":
                st["neg_level"] = value < 0
            unit = {"yoy": "%", "qoq": "%", "yoy_pp": "pp", "qoq_pp": "pp"}.get(measure, a.unit)
            if measure == "level" and self.vt.get(ref.code) == "ratio":
                unit = "%"
            # a target price's starting value ("目标价从45元提高至50元", "(from HK$35.00)") is the replaced target
            prior_here = prior or (from_mode and st["from_seen"] and ref.code == "target_price")
            st["from_value"] = from_mode and st["from_seen"] and not prior_here
            basis = self._basis(st, period, ref.code, prior_here, ctx.note_date)
            st["from_value"] = False
            company, ticker = self._company(st, ctx)
            tok = g["tok"]
            facts.append(Fact(company, ticker, ref.code, seg, measure, period, basis, value, unit, a.decimals,
                              tok.text.strip(), offset + tok.start, offset + tok.end,
                              f"prose.{kind}.{measure}", st["period_from_note"]))
            if measure == "level" and n == 1:
                st.setdefault("level_refs", []).append((ref, seg))
            # bracket block: another currency of the same amount, or its change (yoy+71%)
            pend_b = None
            bst = {**st, "dir": 0, "dir_kind": None, "cagr": False, "share_of": False}
            # "(+25.3% YoY)": one rate and one change word in the brackets, the word written after the rate
            b_nums = [b for b in g["attach"] if b.kind == "num" and b.amount is not None]
            b_words = [b.cls for b in g["attach"] if b.kind == "word" and b.cls in ("yoy", "qoq")]
            late_b = b_words[0] if len(b_nums) == 1 and len(b_words) == 1 else None
            # "(+15.0% YoY, +4.0% QoQ)": English order, each rate takes the change word written right after it
            att = g["attach"]
            post_w = {}
            first_w = next((k for k, b in enumerate(att) if b.kind == "word" and b.cls in ("yoy", "qoq")), None)
            first_n = next((k for k, b in enumerate(att) if b.kind == "num" and b.amount is not None), None)
            if first_w is not None and first_n is not None and first_n < first_w:
                for k, b in enumerate(att[:-1]):
                    if b.kind == "num" and att[k + 1].kind == "word" and att[k + 1].cls in ("yoy", "qoq"):
                        post_w[k] = att[k + 1].cls
            for k, b in enumerate(att):
                if k in post_w:
                    pend_b = post_w[k]
                if b.kind == "word" and b.cls in ("yoy", "qoq"):
                    pend_b = b.cls
                elif b.kind == "word" and b.cls in ("up", "down", "narrow", "widen"):
                    bst["dir"] = 1 if b.cls in ("up", "widen") else -1
                    bst["dir_kind"] = b.cls
                    bst["dir_word"] = b.text
                elif b.kind == "word" and b.cls == "loss":
                    bst["loss"] = True
                elif b.kind == "num" and b.amount is not None:
                    ba = b.amount
                    if ba.kind == "amount" and measure == "level" and self.vt.get(ref.code) == "amount":
                        bm = "level"
                    elif ba.unit in ("%", "pp") and (pend_b or late_b or (st["sticky"] and ba.unit == "%")):
                        bm = self._value_measure(bst, ref.code, ba, pend_b or late_b or st["sticky"])
                    elif (ba.unit == "%" and ba.explicit_sign and len(g["attach"]) == 1 and measure == "level"
                          and self.vt.get(ref.code) in ("amount", "per_share")):
                        bm = "yoy"  # "营收12.3亿元（+15.2%）": a signed rate alone in brackets is the yoy change
                    elif (ba.unit == "pp" and ba.explicit_sign and len(g["attach"]) == 1 and measure == "level"
                          and self.vt.get(ref.code) == "ratio"):
                        bm = "yoy_pp"  # "毛利率31.2%（+1.1pct）"
                    else:
                        bm = None
                    if bm is None:
                        continue
                    bv = self._sign(st if bm == "level" else bst, bm, ba, ref)
                    bunit = {"yoy": "%", "qoq": "%", "yoy_pp": "pp", "qoq_pp": "pp"}.get(bm, ba.unit)
                    facts.append(Fact(company, ticker, ref.code, seg, bm, period, basis, bv, bunit, ba.decimals,
                                      b.text.strip(), offset + b.start, offset + b.end, f"prose.bracket.{bm}",
                                      st["period_from_note"]))
        # a change word is used up by the values that follow it only within the clause
        if pair_changes:
            pending = None  # the pair's words do not carry to later figures
        if gain_qoq:
            cmp_prior = None
        pending = pending or cmp_prior
        if pending:
            st["sticky"] = pending
            st["pending"] = None
            st["dir"] = 0
            st["dir_kind"] = None

    @staticmethod
    def _years_named(st, n: int) -> list[Period] | None:
        """The fiscal years named so far in the sentence, when they are exactly n consecutive years."""
        years = sorted(st.get("years_named", {}).values(), key=lambda p: p.end)
        if len(years) != n or any(b.end.year - a.end.year != 1 for a, b in zip(years, years[1:], strict=False)):
            return None
        return years

    def _company(self, st, ctx: NoteContext):
        name = st["company"]
        if name == ctx.company:
            return ctx.company, ctx.ticker
        return name, ctx.company_tickers.get(name)
