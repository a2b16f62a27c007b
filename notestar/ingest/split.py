"""Split a decoded file into notes and read each note's title, publisher, date and kind.

Multi-note files (news aggregators, minutes exports) put each note as
    <title line>
    <publisher>· 2025-11-21 07:29        (or a bare "2025-11-26 22:15")
    <body ...>
Lines before the first title are page debris ("搜索文档", a tag) and belong to no note.
A file with no such header line is one note (a PDF-converted report, a research card, an article);
its date comes from a date line near the top or a 发布日期 column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

HEADER_RE = re.compile(
    r"^\s*(?:(?P<publisher>[^\n·・]{1,40}?)\s*[·・]\s*)?"
    r"(?P<date>\d{4}-\d{1,2}-\d{1,2})(?:[ T]+(?P<time>\d{1,2}:\d{2}(?::\d{2})?))?\s*$"
)
CN_DATE_RE = re.compile(r"(?P<y>20\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
ISO_DATE_RE = re.compile(r"(?P<y>20\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})")
TICKER_HEADING_RE = re.compile(r"[(（]\s*[A-Za-z0-9]{1,6}\s*\.\s*[A-Za-z]{2}\s*[)）]")
BROKER_RE = re.compile(r"([\u4e00-\u9fff]{2,8}?证券)(?:研究所|研究院|股份有限公司|有限责任公司)")
CARD_HEADER_RE = re.compile(r"^\|\s*编号\s*\|")
ENGLISH_DATE_RE = re.compile(
    r"(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>20\d{2})"
)
ENGLISH_DMY_RE = re.compile(  # "19 March 2026", the day first (UK / HK house style)
    r"\b(?P<d>\d{1,2})\s+(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?,?\s+(?P<y>20\d{2})"
)
MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), start=1)}


@dataclass
class SplitNote:
    index: int
    title: str
    publisher: str | None
    published_at: datetime | None
    kind: str
    language: str
    text: str


def _parse_header_datetime(date: str, time: str | None) -> datetime | None:
    try:
        d = datetime.strptime(date, "%Y-%m-%d")
        if time:
            parts = [int(p) for p in time.split(":")]
            d = d.replace(hour=parts[0], minute=parts[1], second=parts[2] if len(parts) > 2 else 0)
        return d
    except ValueError:
        return None


# full-width digits and date marks (２０２５－０８－２５, ideographic space) read as ASCII in date lines
_HALF_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def _first_date(lines: list[str]) -> datetime | None:
    for line in lines:
        line = line.translate(_HALF_WIDTH)
        for rx in (CN_DATE_RE, ISO_DATE_RE):
            m = rx.search(line)
            if m:
                try:
                    return datetime(int(m["y"]), int(m["m"]), int(m["d"]))
                except ValueError:
                    continue
        for rx in (ENGLISH_DATE_RE, ENGLISH_DMY_RE):
            m = rx.search(line)
            if m:
                try:
                    return datetime(int(m["y"]), MONTHS[m["mon"][:3]], int(m["d"]))
                except ValueError:
                    continue
    return None


_CJK_RUN = re.compile("[\u4e00-\u9fff]+")
_LATIN_RUN = re.compile("[A-Za-z]+")


def detect_language(text: str) -> str:
    sample = text[:5000]
    # counted by the regex engine: a per-character generator was most of the ingest step's time
    cjk = sum(map(len, _CJK_RUN.findall(sample)))
    latin = sum(map(len, _LATIN_RUN.findall(sample)))
    return "en" if latin > 4 * cjk else "zh"


def detect_kind(title: str, publisher: str | None, text: str) -> str:
    head = text[:3000]
    if CARD_HEADER_RE.match(text.lstrip()):
        return "research_card"
    if "投资评级" in head or "证券分析师" in head or "盈利预测与估值" in text:
        return "broker_report"
    if re.search(r"\d{8}\s*$", title) or "纪要" in title:
        return "minutes"
    if "晨报" in title or "早报" in title:
        return "digest"
    if publisher and "快讯" in publisher:
        return "flash"
    return "news"


def _card_metadata(lines: list[str]) -> tuple[str | None, str | None, datetime | None]:
    """A research-platform card: a Markdown header table with 机构 / 报告名称 / 发布日期 columns."""
    if len(lines) < 3 or not CARD_HEADER_RE.match(lines[0]):
        return None, None, None
    cols = [c.strip() for c in lines[0].strip().strip("|").split("|")]
    vals = [c.strip() for c in lines[2].strip().strip("|").split("|")]
    row = dict(zip(cols, vals, strict=False))
    published = _first_date([row.get("发布日期", "")])
    return row.get("报告名称"), row.get("机构"), published


def _single_note_metadata(text: str) -> tuple[str, str | None, datetime | None]:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    title, publisher, published = _card_metadata(lines)
    if title:
        return title, publisher, published
    published = _first_date(lines[:15])
    title = ""
    for i, line in enumerate(lines[:30]):
        bare = line.lstrip("#").strip()
        if not bare or CN_DATE_RE.fullmatch(bare) or ISO_DATE_RE.fullmatch(bare):
            continue
        title = bare
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if TICKER_HEADING_RE.search(bare) and nxt.startswith(("—", "-")):
            title = f"{bare} {nxt.lstrip('—- ').strip()}"
        break
    broker = BROKER_RE.search(text)
    return title, (broker.group(1) if broker else None), published


def split_notes(text: str) -> list[SplitNote]:
    """One SplitNote per note in the file, in file order. Debris before the first title is dropped."""
    lines = text.splitlines(keepends=True)
    headers = []  # (title_line_index, header_line_index, match)
    for i, line in enumerate(lines):
        m = HEADER_RE.match(line)
        if not m:
            continue
        j = i - 1
        while j >= 0 and not lines[j].strip():
            j -= 1
        if j >= 0 and not HEADER_RE.match(lines[j]):
            headers.append((j, i, m))
    notes: list[SplitNote] = []
    if not headers:
        body = text.strip("\n")
        title, publisher, published = _single_note_metadata(body)
        if body.strip():
            notes.append(SplitNote(0, title, publisher, published, detect_kind(title, publisher, body),
                                   detect_language(body), body))
        return notes
    for k, (t_idx, _h_idx, m) in enumerate(headers):
        end = headers[k + 1][0] if k + 1 < len(headers) else len(lines)
        body = "".join(lines[t_idx:end]).strip("\n")
        title = lines[t_idx].strip()
        publisher = (m["publisher"] or "").strip() or None
        published = _parse_header_datetime(m["date"], m["time"])
        notes.append(SplitNote(k, title, publisher, published, detect_kind(title, publisher, body),
                               detect_language(body), body))
    return notes
