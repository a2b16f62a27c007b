"""Row label -> metric code, through the lexicon's metric names (exact, normalised match only).

A table row label is short and precise ("归属母公司股东净利润", "EPS(元)", "市盈率（P/E）"), so it is
matched whole against the lexicon after dropping spaces, bold tags and unit brackets; a label with
no listed spelling produces nothing. Growth-rate labels ("营收增长率", "同比增长率", "(+/-%)")
are recognised here too: the metric is the prefix, or the row above when there is none.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from notestar.extract.table_parse import TAG_RE

_BRACKETS = re.compile(r"\(([^()]*)\)")
_GROWTH_SUFFIX = re.compile(
    r"^(?P<base>.*?)(?:同比增长率|同比增速|同比增长|同比变动|同比变化|同比|按年变动率|按年变动|按年增长率|按年增长|按年变化|按年|"
    r"增长率|增速|增长|变动率|"
    r"yoy|y/y|growth|\+/-%|\+/-)$",
    re.IGNORECASE,
)
_QOQ_SUFFIX = re.compile(r"^(?P<base>.*?)(?:环比增长率|环比增速|环比增长|环比变动|环比|"
                         r"按季变动率|按季变动|按季增长率|按季增长|按季|qoq|q/q)$", re.IGNORECASE)
_QOQ_BRACKET = re.compile(r"^(?:qoq%?|q/q%?|环比%?)$", re.IGNORECASE)
_BALANCE_SUFFIX = re.compile(r"^(?P<base>.+?)的?(?P<when>期初余额|期末余额|期初数|期末数|期初|期末)$")
_GROWTH_BRACKET = re.compile(r"^(?:\+/-%?|yoy%?|y/y%?|同比%?|增长率%?)$", re.IGNORECASE)


def norm_name(text: str) -> str:
    t = unicodedata.normalize("NFKC", TAG_RE.sub("", text or ""))
    return re.sub(r"\s+", "", t).lower()


@dataclass(frozen=True)
class LabelMatch:
    code: str | None  # metric code, None when the label names none (or the growth base is the row above)
    growth: bool  # a growth-rate row: measure yoy of `code` (or of the row above when code is None)
    bare_growth: bool  # growth row with no metric of its own ("同比增长率", "(+/-%)")
    norm: str  # the label without spaces, tags and brackets
    year_shift: int = 0  # -1 for an opening balance (期初余额): the previous year's closing balance
    measure: str = "yoy"  # of a growth row: yoy, or qoq for 环比 rows


class MetricLabels:
    """Resolve table labels with the lexicon's spellings (name_zh, synonyms, English names)."""

    def __init__(self, lexicon):
        names = lexicon.metric_names
        self.by_name: dict[str, str] = {}
        for name, code in zip(names["name"], names["code"], strict=True):
            key = norm_name(name)
            if key and key not in self.by_name:
                self.by_name[key] = code
        # labels a key-value box adds to the metric names ("Price": the share price of the box's stock)
        self.box_by_name = {norm_name(k): v for k, v in (getattr(lexicon, "box_labels", None) or {}).items()}
        self.value_type = lexicon.metric_value_type()
        self.category = dict(zip(lexicon.metrics["code"], lexicon.metrics["category"], strict=True))

    def lookup(self, text: str) -> str | None:
        return self.by_name.get(norm_name(text))

    def lookup_box(self, text: str) -> str | None:
        """A label in a key-value box: a metric name, else a box-only label (lexicon/box_labels.csv)."""
        key = norm_name(text)
        return self.by_name.get(key) or self.box_by_name.get(key)

    def resolve(self, label: str) -> LabelMatch:
        full = norm_name(label)
        brackets = _BRACKETS.findall(full)
        bare = _BRACKETS.sub("", full)
        for bracket_rx, measure in ((_QOQ_BRACKET, "qoq"), (_GROWTH_BRACKET, "yoy")):
            if any(bracket_rx.match(b) for b in brackets):
                # "(+/-%)" alone, or "营业收入 (+/-%)": a growth row of the row above / of the named metric
                if not bare:
                    return LabelMatch(None, True, True, bare, measure=measure)
                base_code = self.by_name.get(bare) or self._growth_base(bare)
                return LabelMatch(base_code, base_code is not None, False, bare, measure=measure)
        code = self.by_name.get(full) or self.by_name.get(bare)
        if code is None:
            for b in brackets:
                code = self.by_name.get(b)
                if code:
                    break
        if code is not None:
            return LabelMatch(code, False, False, bare)
        m = _BALANCE_SUFFIX.match(bare)
        if m and self.by_name.get(m["base"]) and self.category.get(self.by_name[m["base"]]) == "balance":
            return LabelMatch(self.by_name[m["base"]], False, False, bare, -1 if m["when"].startswith("期初") else 0)
        for suffix_rx, measure in ((_QOQ_SUFFIX, "qoq"), (_GROWTH_SUFFIX, "yoy")):
            m = suffix_rx.match(bare)
            if m:
                if not m["base"]:
                    return LabelMatch(None, True, True, bare, measure=measure)
                base_code = self.by_name.get(m["base"])
                return LabelMatch(base_code, base_code is not None, False, bare, measure=measure)
        return LabelMatch(None, False, False, bare)

    def _growth_base(self, bare: str) -> str | None:
        m = _GROWTH_SUFFIX.match(bare)
        return self.by_name.get(m["base"]) if m and m["base"] else None
