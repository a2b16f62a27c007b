"""Boilerplate sections and note metadata (title, institution, date, analysts, rating, ticker, kind).

Only the document's text is used: the PDF Info dates are edit dates, not report dates.
The word lists are generic broker/filing vocabulary, not taken from any one note.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import yaml

# Section headings after which a broker PDF carries legal text, not analysis.
TAIL_HEADINGS = (
    "免责声明", "免责条款", "分析师声明", "分析师承诺", "证券分析师声明", "分析师介绍", "分析师简介",
    "投资评级说明", "评级说明", "投资评级体系", "评级体系", "法律声明", "一般声明", "重要声明", "特别声明",
    "信息披露声明", "研究团队简介", "Disclaimer", "DISCLAIMER", "Analyst Certification",
)
# Sidebar sections that list other reports: their titles are not statements of this note.
SIDE_HEADINGS = ("相关研究报告", "相关研究", "相关报告", "往期回顾", "近期研究")
BOILER_LINE = re.compile(
    r"请务必阅读|请阅读最后|敬请阅读|敬请参阅|请参阅.{0,12}(?:声明|说明)|本报告仅供|仅供.{0,8}客户.{0,4}使用"
    r"|不构成.{0,10}投资建议|^\s*证券研究报告\s*$"
)


@lru_cache(maxsize=1)
def _rating_vocab() -> tuple[str, str]:
    """Rating and action words as regex alternations, from the lexicon's ratings.yaml (longest first).

    Read with yaml alone: PDF worker processes must not pay for importing Polars.
    """
    data = yaml.safe_load((Path(__file__).resolve().parent.parent / "lexicon" / "ratings.yaml").read_text("utf-8"))
    words = [*data.get("ratings_zh", {}), *data.get("ratings_en", {})]
    actions = [*data.get("actions_zh", {})]
    return ("|".join(sorted(map(re.escape, words), key=len, reverse=True)),
            "|".join(sorted(map(re.escape, actions), key=len, reverse=True)))

NOT_NAMES = {"联系人", "研究助理", "分析师", "证券分析师", "市场表现", "基本数据", "基础数据"}
_TICKER = re.compile(
    r"(?P<name>[\u4e00-\u9fa5A-Za-z][\u4e00-\u9fa5A-Za-z0-9·\-]{1,15}?)\s*[（(]\s*"
    r"(?P<code>\d{6}|\d{4,5})\s*\.?\s*(?P<mkt>SH|SZ|BJ|HK|sh|sz|bj|hk)\s*[)）]"
)
_FILING_CODE = re.compile(r"(?:证券|股票)代码\s*[:：]?\s*(\d{6})")
_FILING_NAME = re.compile(r"(?:证券|股票)简称\s*[:：]?\s*([\u4e00-\u9fa5A-Za-z*]{2,12}?)(?=\s|证券|股票|公告|$)")
_ANNOUNCE = re.compile(r"公告编号\s*[:：]?\s*([0-9]{4}\s*[-—－]\s*[0-9]{2,4})")
_FULL_NAME = re.compile(r"([\u4e00-\u9fa5（）()]{4,30}(?:股份有限公司|有限责任公司|集团有限公司|有限公司))")
_FILING_PERIOD = re.compile(r"((?:19|20)\d{2})\s*年?\s*(年度报告|半年度报告|第一季度报告|第三季度报告|第[一三]季度报告"
                            r"|一季度报告|三季度报告)")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
_ANALYST = re.compile(r"(?:证券)?分析师\s*[:：]\s*([\u4e00-\u9fa5A-Za-z·]{2,10}?)(?=[\s,，、;；\t]|$|\d|S\d|电话|邮箱)")
_BROKER = re.compile(r"([\u4e00-\u9fa5]{2,6}证券)(?:股份有限公司|有限责任公司|有限公司|研究所|研究院|研究部)")


def looks_like_filing(cover: str) -> bool:
    """A listed company's periodic report: '2019年年度报告' on the cover, a stock code or legal name, no analyst."""
    return (bool(_FILING_PERIOD.search(cover)) and bool(re.search(r"(?:证券|股票)代码|公告编号|股份有限公司", cover))
            and "投资评级" not in cover and "分析师" not in cover)


def report_period_line(period: str | None) -> str | None:
    """'报告期：2025年第一季度' for a filing's report period (FY2019, 2025H1, 2025Q1, 2025Q3): the note
    text carries it so that a table's 本报告期 / 上年同期 / 期末余额 columns can be dated."""
    m = re.fullmatch(r"(?:FY)?((?:19|20)\d{2})(H1|Q1|Q3)?", period or "")
    if not m:
        return None
    what = {None: "年度", "H1": "半年度", "Q1": "第一季度", "Q3": "第三季度"}[m.group(2)]
    return f"报告期：{m.group(1)}年{what}"


def heading_key(text: str) -> str:
    return re.sub(r"^[\s\d一二三四五六七八九十、.．()（）■●◆▲►•·*#]+", "", text).strip()


def is_tail_heading(text: str) -> bool:
    key = heading_key(text)
    return len(key) <= 30 and any(key.startswith(h) for h in TAIL_HEADINGS)


def is_side_heading(text: str) -> bool:
    key = heading_key(text)
    return len(key) <= 12 and any(key.startswith(h) for h in SIDE_HEADINGS)


def is_boiler_line(text: str) -> bool:
    return bool(BOILER_LINE.search(text)) and len(text) < 80


def market_of(code: str) -> str:
    if len(code) < 6:
        return "HK"
    if code[0] in "6" or code.startswith("9"):
        return "SH"
    if code[0] in "03":
        return "SZ"
    return "BJ"


def _first(pattern: re.Pattern, text: str):
    m = pattern.search(text)
    return m.group(1) if m else None


def extract_meta(first_page: list[tuple[str, float]], full_text: str, raw_text: str, pages: int) -> dict:
    """Metadata from the first page's paragraphs (text, font size) and the document text.

    `full_text` is the cleaned note text, `raw_text` the text before boilerplate was dropped (the
    broker's legal name usually appears only there).
    """
    head = "\n".join(t for t, _ in first_page)
    meta: dict = {"title": None, "publisher": None, "published_at": None, "analysts": [], "rating": None,
                  "rating_action": None, "ticker": None, "company": None, "kind": "pdf_report", "pages": pages}
    if looks_like_filing(head):
        meta["kind"] = "filing"
        code = _first(_FILING_CODE, head) or _first(_FILING_CODE, full_text[:20000])
        meta["company"] = _first(_FILING_NAME, head) or _first(_FILING_NAME, full_text[:20000])
        if code:
            meta["ticker"] = f"{code}.{market_of(code)}"
        m = _ANNOUNCE.search(head) or _ANNOUNCE.search(full_text[:20000])
        meta["announcement_no"] = re.sub(r"\s", "", m.group(1)) if m else None
        m = _FILING_PERIOD.search(head)
        year, what = m.group(1), m.group(2)
        meta["report_period"] = (f"FY{year}" if what == "年度报告" else f"{year}H1" if "半年" in what
                                 else f"{year}Q1" if "一" in what else f"{year}Q3")
        full = _first(_FULL_NAME, head)
        meta["publisher"] = full or meta["company"]
        meta["title"] = f"{full or meta['company'] or ''}{year}年{what}".strip()
    else:
        m = _TICKER.search(head)
        if m:
            meta["company"] = m.group("name").strip()
            meta["ticker"] = f"{m.group('code')}.{m.group('mkt').upper()}"
        meta["title"] = _title(first_page, m.group(0) if m else None)
        meta["analysts"] = list(dict.fromkeys([*_ANALYST.findall(head), *_analyst_block(first_page)]))
        meta["rating"], meta["rating_action"] = _rating(head)
        brokers = Counter(_BROKER.findall(raw_text))
        if brokers:
            meta["publisher"] = brokers.most_common(1)[0][0]
        if meta["rating"] or meta["analysts"] or "证券研究报告" in raw_text[:3000]:
            meta["kind"] = "broker_report"
    meta["published_at"] = _date(head)
    return meta


def _analyst_block(paras: list[tuple[str, float]]) -> list[str]:
    """Names listed under a bare '证券分析师' heading, one per line (SAC numbers and e-mails between)."""
    names: list[str] = []
    inside = False
    for text, _ in paras:
        t = text.strip()
        if re.fullmatch(r"(?:证券)?分析师[:：]?", t):
            inside = True
        elif inside and re.fullmatch(r"[\u4e00-\u9fa5·]{2,5}", t) and t not in NOT_NAMES:
            names.append(t)
        elif inside and not re.search(r"SAC|S\d{6,}|@|电话|邮箱|\d{3,}-\d", t):
            inside = False
    return names


def _title(paras: list[tuple[str, float]], ticker_text: str | None) -> str | None:
    candidates = [(size, i, t) for i, (t, size) in enumerate(paras[:25])
                  if 4 <= len(t) <= 80 and not is_boiler_line(t) and "\t" not in t]
    if not candidates:
        return None
    top = max(size for size, _, _ in candidates)
    big = [c for c in candidates if c[0] >= top - 0.5]
    # the company line "某公司（600000.SH）" is the largest on many covers: the headline is next
    if ticker_text and all(ticker_text in t or _TICKER.fullmatch(t.strip()) for _, _, t in big):
        rest = [c for c in candidates if c[0] < top - 0.5 and c[0] >= 12]
        if rest:
            top2 = max(c[0] for c in rest)
            big = [c for c in rest if c[0] >= top2 - 0.5]
    return " ".join(t for _, _, t in sorted(big, key=lambda c: c[1]))


def _rating(text: str) -> tuple[str | None, str | None]:
    words, acts = _rating_vocab()
    m = re.search(rf"({words})\s*[（(]\s*({acts})\s*[)）]", text)
    if m:
        return m.group(1), m.group(2)
    m = re.search(rf"(?:投资评级|评级)\s*[:：\t]?\s*({words})", text)
    if m:
        return m.group(1), None
    return None, None


def _date(text: str) -> datetime | None:
    for m in _DATE.finditer(text):
        y, mo, d = (int(v) for v in m.groups())
        try:
            return datetime(y, mo, d)
        except ValueError:
            continue
    return None
