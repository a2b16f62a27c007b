"""Company resolution: the subject of each note, and companies learnt from the text.

A note's subject comes from, in order: a `名称(代码)` mention in the title or first lines; a lexicon
company named in the title; the leading name of the title (before a period, a colon or a figure);
a lexicon company named in the first lines. Tickers are canonicalised (01234 -> 01234.HK, 876543. BJ ->
876543.BJ, NASDAQ: XPR -> XPR) and kept only when the note prints them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import polars as pl

from notestar.extract.words import COMPANY_SUFFIXES

# 名称(代码): the name is a run of CJK / latin letters right before the bracket
_NAME = r"[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9\-]{0,15}?"
_CODE = (
    r"(?:(?:NASDAQ|NYSE|HKEX|SH|SZ|BJ|HK)\s?[:：]\s?)?"
    r"(?:\d{4,6}\s?(?:\.\s?(?:HK|SH|SZ|BJ|hk|sh|sz|bj|SS|N|O|US))?|[A-Z]{1,5}(?:\.(?:O|N|US))?)"
)
_NAME_EN = r"[A-Z][A-Za-z0-9&.\-]*(?:\s[A-Z][A-Za-z0-9&.\-]*){0,3}"
TICKER_MENTION = re.compile(rf"(?P<name>{_NAME_EN}|{_NAME})\s?[(（]\s?(?P<code>{_CODE})\s?[)）]")
# "English Name (中文简称, 1234.HK)": the Chinese short name and the code share the bracket
_BRACKET_MENTION = re.compile(rf"[(（]\s?(?P<name>[\u4e00-\u9fff]{{2,8}}(?:-[A-Z]{{1,2}})?)\s?[,，;；]\s?"
                              rf"(?P<code>{_CODE})\s?[)）]")
# an announcement header: "证券代码：301266  证券简称：某某精工"
_SHORT_NAME_LABEL = re.compile(r"(?:证券|股票)简称\s?[：:]\s?"
                               r"(?P<name>[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9\-]{1,11})")
_CODE_LABEL = re.compile(r"(?:证券|股票)代码\s?[：:]\s?(?P<code>\d{6}|\d{4,5}(?:\.HK)?)")
_LEAD_WORDS = re.compile(r"^(?:维持|给予|首次覆盖|首次|重申|上调|下调|覆盖|推荐|关注|点评|港股异动|港股动态|研报速递"
                         r"|交流对象|港股|美股|A股|上市公司|公司|标的|正股)+")
# a deal or relation word before the name ("拟以3.2亿元现金收购某某材料(870001.BJ)"): the name starts after it
_DEAL_WORDS = re.compile(r"收购|并购|入股|参股|增资|出售给|出售|转让给|转让|认购|受让|中标|签约|携手|联手|牵手|旗下"
                         r"|控股子公司|子公司|客户|供应商|竞争对手")
_INSTITUTION_END = ("证券", "研究所", "研究院", "研究", "财经", "资讯", "见闻", "新闻", "日报", "时报", "快讯", "海外",
                    "香港", "国际", "基金", "资管", "网", "社", "君", "晨报", "早报", "纪要")
_NOT_NAME_START = ("研报速递", "港股异动", "港股动态", "美股异动", "晨报", "早报", "快讯", "财报见闻",
                   "盘前", "盘后", "数据", "行业", "市场", "研报", "公司", "我们", "本次", "今年",
                   "去年", "首次", "港股", "美股", "A股", "点评", "深度", "证券代码", "证券简称", "股票代码",
                   "股票简称", "公告编号")


@functools.lru_cache(maxsize=16384)
def canonical_ticker(code: str) -> str | None:
    c = re.sub(r"\s", "", code).upper()
    c = re.sub(r"^(NASDAQ|NYSE|HKEX)[:：]", "", c)
    m = re.match(r"^(SH|SZ|BJ|HK)[:：](\d+)$", c)
    if m:
        c = f"{m[2]}.{m[1]}"
    m = re.fullmatch(r"(\d{4,6})(?:\.(HK|SH|SZ|BJ|SS))?", c)
    if m:
        num, mk = m[1], m[2]
        if mk == "SS":
            mk = "SH"
        if mk is None and len(num) == 4 and num.startswith(("19", "20")):
            return None  # a year in brackets, not a listing code
        if mk == "HK" or (mk is None and len(num) <= 5):
            return f"{int(num):05d}.HK"
        if len(num) != 6:
            return None
        if mk is None:
            if num.startswith(("60", "68", "90")):
                mk = "SH"
            elif num.startswith(("00", "30", "20")):
                mk = "SZ"
            elif num.startswith(("8", "4", "92")):
                mk = "BJ"
            else:
                return None
        return f"{num}.{mk}"
    m = re.fullmatch(r"([A-Z]{1,5})(?:\.(?:O|N|US))?", c)
    if m and m[1] not in {"HK", "SH", "SZ", "BJ", "AI", "PE", "PS", "PB", "EPS", "ROE", "GPU", "CPU", "IDC", "API"}:
        return m[1]
    return None


@dataclass
class CompanyBook:
    """Known companies: name -> (canonical name, lexicon tickers); aliases point at the canonical name."""

    names: dict[str, str] = field(default_factory=dict)  # any spelling -> canonical short name
    tickers: dict[str, set[str]] = field(default_factory=dict)  # canonical name -> tickers
    name_en: dict[str, str] = field(default_factory=dict)
    learnt: set[str] = field(default_factory=set)
    _by_length: tuple[int, list[str]] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_lexicon(cls, companies: pl.DataFrame) -> CompanyBook:
        book = cls()
        for row in companies.iter_rows(named=True):
            name = row["company_name"]
            book.names[name] = name
            for a in row["aliases"] or []:
                book.names.setdefault(a, name)
            book.tickers[name] = set(row["tickers"] or [])
            book.name_en[name] = row["name_en"] or ""
            if row["name_en"]:
                book.names.setdefault(row["name_en"], name)
        return book

    def longest_first(self) -> list[str]:
        """All spellings, longest first (ties in insertion order). Names are only ever added, so the
        count tells whether the cached order is current; subject resolution asks several times per note."""
        if self._by_length is None or self._by_length[0] != len(self.names):
            self._by_length = (len(self.names), sorted(self.names, key=len, reverse=True))
        return self._by_length[1]

    def canonical(self, name: str) -> str:
        return self.names.get(name, name)

    def learn(self, name: str, ticker: str | None) -> str:
        name = clean_name(name)
        if len(name) < 2 or name in COMPANY_SUFFIXES:
            return name
        canon = self.canonical(name)
        if canon not in self.tickers:
            self.tickers[canon] = set()
            self.names[canon] = canon
            self.learnt.add(canon)
        if ticker:
            self.tickers[canon].add(ticker)
        return canon

    def by_ticker(self, ticker: str) -> str | None:
        norm = ticker.lstrip("0")
        for name, ts in self.tickers.items():
            if any(t.lstrip("0") == norm for t in ts):
                return name
        return None

    def frame(self) -> pl.DataFrame:
        from notestar.schemas import COMPANIES

        rows = []
        for name, ts in self.tickers.items():
            aliases = sorted(a for a, c in self.names.items() if c == name and a != name)
            rows.append(
                {
                    "company_name": name,
                    "name_en": self.name_en.get(name) or None,
                    "tickers": sorted(ts),
                    "aliases": aliases,
                    "source": "learnt" if name in self.learnt else "lexicon",
                }
            )
        return pl.DataFrame(rows, schema=COMPANIES) if rows else pl.DataFrame(schema=COMPANIES)


def clean_name(name: str) -> str:
    name = name.strip()
    # a learnt name keeps a -W/-SW/-B share-class suffix out of the short name
    name = _SHARE_CLASS.sub("", name)
    return name


def _strip_prefix_words(name: str, book: CompanyBook) -> str:
    """'港股异动某某科技' style captures: keep the longest known name or a suffix-ended tail."""
    if name.isascii():
        return name
    # the longest known name the capture ends with: its suffixes, longest first
    for k in range(len(name), 0, -1):
        if name[-k:] in book.names:
            return name[-k:]
    return name


_BAR = re.compile(r"[丨|｜]")
_FUNCTION_CHAR = re.compile(r"[的为是对在由从向将了即称指、：:]")
_TITLE_PARTS = re.compile(r"[：:｜|丨】【\[\]]")
_CJK_RUN = re.compile(r"([\u4e00-\u9fff]{2,12}(?:-[A-Z]{1,2})?)")
_NAME_BEFORE_EVENT = re.compile(r"^([\u4e00-\u9fff]{2,6}?)(?:\d{6,8}|电话会议|业绩会|调研|交流|纪要)")
_SHARE_CLASS = re.compile(r"-(?:W|SW|B|U|S)$")


def ticker_mentions(text: str) -> list[tuple[str, str, int]]:
    """(name, canonical ticker, start offset) for every 名称(代码) in the text."""
    out = []
    if "(" not in text and "（" not in text:
        return out  # every mention has an opening bracket
    for m in TICKER_MENTION.finditer(text):
        t = canonical_ticker(m["code"])
        if t is None:
            continue
        name = _BAR.split(m["name"])[-1]
        # the name run may have swallowed leading words ("交流对象为道赛科技"): cut at the last
        # function character before a plausible 2-6 character name
        name = _LEAD_WORDS.sub("", _FUNCTION_CHAR.split(name)[-1]) or name
        name = _DEAL_WORDS.split(name)[-1] or name
        if len(name) < 2 or name in COMPANY_SUFFIXES:
            continue
        out.append((name, t, m.start("name")))
    for m in _BRACKET_MENTION.finditer(text):
        t = canonical_ticker(m["code"])
        if t is not None:
            out.append((m["name"], t, m.start("name")))
    if len(out) > 1:
        out.sort(key=lambda x: x[2])
    return out


def _title_name(title: str, book: CompanyBook, publisher: str | None = None) -> str | None:
    """The company a title is about: each part of the title (split at ：｜】) is tried in turn."""
    parts = [p for p in _TITLE_PARTS.split(title.strip()) if p.strip()]
    for k, part in enumerate(parts):
        part = _LEAD_WORDS.sub("", part.strip())
        m = _CJK_RUN.match(part)
        if not m:
            continue
        run = m[1]
        if run.startswith(_NOT_NAME_START) or (publisher and run.startswith(publisher)):
            continue
        known = next((n for n in book.longest_first() if n and len(n) >= 2
                      and run.startswith(n) and n not in COMPANY_SUFFIXES), None)
        if known:
            return book.canonical(known)
        cut = None
        for suf in sorted(COMPANY_SUFFIXES, key=len, reverse=True):
            i = run.find(suf)
            if i >= 2 and i + len(suf) <= 8:
                cut = run[: i + len(suf)] if cut is None or i + len(suf) < len(cut) else cut
        if cut and not cut.endswith(_INSTITUTION_END):
            return cut
        if k == 0 and len(parts) > 1 and part.strip() == run and 2 <= len(run) <= 8 \
                and not run.endswith(_INSTITUTION_END):
            return run  # "某某：三季度点评" — the part before the colon is the subject
        if k == 0:
            m2 = _NAME_BEFORE_EVENT.match(part)
            if m2:
                return m2[1]
    return None


@dataclass(frozen=True)
class Subject:
    name: str | None
    ticker: str | None


def resolve_subject(title: str | None, text: str, book: CompanyBook, publisher: str | None = None) -> Subject:
    title = title or ""
    head = text[:600]
    m = _SHORT_NAME_LABEL.search(head)
    if m:
        code = _CODE_LABEL.search(head)
        t = canonical_ticker(code["code"]) if code else None
        canon = book.learn(m["name"], t)
        return Subject(canon, t)
    for source in (title, head):
        mentions = ticker_mentions(source)
        if mentions:
            name, t, _ = mentions[0]
            name = _strip_prefix_words(name, book)
            canon = book.learn(name, t)
            return Subject(canon, t)
    # a lexicon company named in the title
    best = None
    for known in book.longest_first():
        if known and len(known) >= 2 and known in title and known not in COMPANY_SUFFIXES:
            pos = title.find(known)
            if best is None or pos < best[1]:
                best = (known, pos)
    if best:
        canon = book.canonical(best[0])
        return Subject(canon, _printed_ticker(canon, text, book))
    name = _title_name(title, book, publisher)
    if name:
        canon = book.learn(name, None)
        return Subject(canon, _printed_ticker(canon, text, book))
    for known in book.longest_first():
        if known and known in head:
            canon = book.canonical(known)
            return Subject(canon, _printed_ticker(canon, text, book))
    return Subject(None, None)


def _printed_ticker(name: str, text: str, book: CompanyBook) -> str | None:
    """The ticker of the company as the note prints it (名称(代码)); None when it prints none."""
    for n2, t, _ in ticker_mentions(text):
        if book.canonical(_strip_prefix_words(n2, book)) == name:
            book.learn(name, t)
            return t
    return None
