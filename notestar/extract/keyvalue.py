"""Point-in-time facts from key-value boxes such as 基本数据 / 基础数据 / 市场数据.

A box is a heading line (optionally carrying its own date, "基本数据 2025 年 07 月 28 日") followed by
lines "label (unit)<tab or spaces>value [unit]"; a label may pair two keys with two values
("总市值/流通市值 27136/27136 百万元"). Facts are dated by the box's date, else by the note's date;
with neither, the box yields nothing (a point-in-time fact needs a date).
Only market, balance-sheet and per-share metrics are read from a box. Labels are the lexicon's metric names plus
its box-only labels (`lexicon/box_labels.csv`: a bare "Price" is the box's share price).
A header's key-data line outside any box ("Rating: HOLD | Price target: HK$15.00 (from HK$17.20) | Price
(3 Jun 2025 close): HK$13.80") is read segment by segment where the values carry their currency; a target price
there is an estimate at the note's date and its "(from …)" the prior estimate.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from notestar.extract.metric_labels import MetricLabels
from notestar.extract.table_parse import (
    CellValue,
    clean_cell,
    normalise_cell,
    parse_unit,
    parse_value,
)

BOX_HEADING = re.compile(
    r"(基本数据|基础数据|市场数据|股票数据|交易数据|公司数据|股价数据|市场表现数据|(?i:key data|stock data))"
)
DATE_RE = re.compile(
    r"((?:19|20)[0-9]{2})\s*(?:年|-|/|\.)\s*([0-9]{1,2})\s*(?:月|-|/|\.)\s*([0-9]{1,2})\s*日?"
)
_NUM = r"[+\-−]?[0-9][0-9,]*(?:\.[0-9]+)?"
KV_LINE = re.compile(
    rf"^(?P<label>[^\t]*?[^\s\t:：])(?:\s*[:：]\s*|\s+)(?P<vals>{_NUM}(?:\s*/\s*{_NUM})*)\s*(?P<unit>[^\s0-9/][^\t0-9]*)?$"
)
BOX_CATEGORIES = {"market", "balance", "per_share"}
MAX_BOX_LINES = 20
HEADER_LINES = 8  # a key-data line this near the top is in the note's header
# "Price / market cap (4 Jun 2025): HK$9.10 / HK$12,400m": values written with their currency (and a short
# scale word), the label's bracket may date the line
_MONEY = r"(?:HK\$|US\$|RMB|S\$|\$)\s?[0-9][0-9,]*(?:\.[0-9]+)?\s?(?:bn|mn|m|k)?"
MONEY_LINE = re.compile(rf"^(?P<label>[^\t:：]*?[^\s:：])\s*[:：]\s*(?P<vals>{_MONEY}(?:\s*/\s*{_MONEY})*)\s*$")
_MONEY_VALUE = re.compile(r"(?P<cur>HK\$|US\$|RMB|S\$|\$)\s?(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)\s?(?P<scale>bn|mn|m|k)?")
EN_DATE = re.compile(r"\b([0-9]{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+"
                     r"((?:19|20)[0-9]{2})\b", re.IGNORECASE)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# A header's key-data line outside any box: "Rating: HOLD (from BUY) | Price target: HK$15.00 (from HK$17.20) |
# Price (3 Jun 2025 close): HK$13.80" — segments "label: value" split by " | ", full-width spaces or tabs; the
# segments whose values carry their currency are read like a box's money lines ("(from …)": the prior figure)
_STRIP_SPLIT = re.compile(r"\s+\|\s+|\s*\u3000+\s*|\t")
_STRIP_SEGMENT = re.compile(r"^[^:：]{1,40}[:：]\s*\S")
_PRIOR_TAIL = re.compile(rf"\s*\(\s*(?:from|prev\.?|previous|was)\s+(?P<prior>{_MONEY})\s*\)\s*$", re.IGNORECASE)


def _box_date(text: str) -> date | None:
    m = DATE_RE.search(text)
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = EN_DATE.search(text)
        return date(int(m[3]), _MONTHS.index(m[2].lower()[:3]) + 1, int(m[1])) if m else None
    except ValueError:
        return None


def _note_date(note: dict) -> date | None:
    published = note.get("published_at")
    if isinstance(published, datetime):
        return published.date()
    if isinstance(published, date):
        return published
    return None


def note_kv_facts(note: dict, labels: MetricLabels, units: dict, version: str) -> list[dict]:
    text = note.get("text") or ""
    lines = text.split("\n")
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    facts: list[dict] = []
    in_box: set[int] = set()  # lines read as a box's
    i = 0
    while i < len(lines):
        heading = lines[i]
        hm = BOX_HEADING.search(heading)
        if not hm or len(clean_cell(heading)) > 60:
            i += 1
            continue
        when = _box_date(heading[hm.end():])
        if when is None and i + 1 < len(lines) and re.fullmatch(r"\s*" + DATE_RE.pattern + r"\s*", lines[i + 1]):
            when = _box_date(lines[i + 1])
        when = when or _note_date(note)
        heading_text = re.sub(r"^[#*\s]+|[#*\s]+$", "", clean_cell(heading))
        misses, seen_kv = 0, False
        j = i + 1
        while j < len(lines) and j <= i + MAX_BOX_LINES:
            line = lines[j]
            if not line.strip():
                j += 1
                continue
            money = MONEY_LINE.match(clean_cell_keep_offsets(line))
            if money is not None and when is not None:
                seen_kv, misses = True, 0
                facts.extend(_money_facts(note, money, offsets[j], labels, units, version, when, heading_text))
                j += 1
                continue
            got = _kv_line(line)
            if got is None:
                misses += 1
                if seen_kv and (misses >= 2 or re.match(r"\s*(资料来源|数据来源|#)", line)):
                    break
                j += 1
                continue
            seen_kv, misses = True, 0
            if when is not None:
                facts.extend(_line_facts(note, got, offsets[j], labels, units, version, when, heading_text))
            j += 1
        for k in range(i, j if seen_kv else i):
            in_box.add(k)
        i = j if seen_kv else i + 1
    for k, line in enumerate(lines):
        if k not in in_box and ("|" in line or "\u3000" in line or "\t" in line):
            when = _note_date(note) or (_header_date(lines[:k]) if k <= HEADER_LINES else None)
            facts.extend(_strip_facts(note, line, offsets[k], labels, units, version, when))
    return facts


def _header_date(above: list[str]) -> date | None:
    """A note whose date was not read: a key-data line in its header is dated by the byline above it
    ("Some Broker | Hong Kong Equity Research | 4 June 2025")."""
    for line in reversed(above):
        when = _box_date(line)
        if when is not None:
            return when
    return None


def _strip_facts(note, line: str, line_start: int, labels: MetricLabels, units, version, when) -> list[dict]:
    """A key-data line of two or more "label: value" segments; facts of those whose values carry a currency."""
    text = clean_cell_keep_offsets(line)
    bounds, pos = [], 0
    for sep in _STRIP_SPLIT.finditer(text):
        bounds.append((pos, sep.start()))
        pos = sep.end()
    bounds.append((pos, len(text)))
    segments = [(a, text[a:b]) for a, b in bounds if text[a:b].strip()]
    if when is None or len(segments) < 2 or not all(_STRIP_SEGMENT.match(seg.strip()) for _, seg in segments):
        return []
    out = []
    for a, seg in segments:
        prior = _PRIOR_TAIL.search(seg)
        body = seg[:prior.start()] if prior else seg
        m = MONEY_LINE.match(body)
        if m is None:
            continue
        got = _money_facts(note, m, line_start + a, labels, units, version, when, "", valuation=True)
        if prior and len(got) == 1 and got[0]["basis"] == "estimate":
            # "Price target: HK$15.00 (from HK$17.20)": the earlier target, at the same date
            pm = MONEY_LINE.match(f"{m['label']}: {prior['prior']}")
            shift = a + prior.start("prior") - pm.start("vals")
            before = _money_facts(note, pm, line_start + shift, labels, units, version, when, "", valuation=True)
            for f in before:
                f["basis"], f["evidence"] = "prior_estimate", got[0]["evidence"]
            got += before
        for f in got:
            f["evidence"] = clean_cell(seg)
        out += got
    return out


def _money_facts(note, m, line_start, labels: MetricLabels, units, version, when: date, heading,
                 valuation: bool = False) -> list[dict]:
    """A box line whose values carry their currency: one fact per key, dated by the label's own date.
    `valuation`: a target price is read too (an estimate at the note's date, gold rule 9)."""
    label = clean_cell(m["label"])
    when = _box_date(label) or when
    keys = [k for k in re.split(r"/", re.sub(r"\([^()]*\)", "", label)) if k.strip()]
    vals = list(_MONEY_VALUE.finditer(m["vals"]))
    if len(keys) != len(vals):
        return []
    out = []
    for key, v in zip(keys, vals, strict=True):
        code = labels.lookup_box(key)
        target = valuation and labels.category.get(code) == "valuation" and labels.value_type.get(code) == "per_share"
        if code is None or (labels.category.get(code) not in BOX_CATEGORIES and not target):
            continue
        cv = parse_value(v["num"])
        unit = parse_unit(f"({v['cur']} {v['scale'] or ''})", units)
        u, value, decimals = normalise_cell("level", labels.value_type.get(code), unit, cv) if cv else (None,) * 3
        if u is None:
            continue
        start = line_start + m.start("vals") + v.start("num")
        fact = _fact(note, code, when, value, u, decimals, v[0], f"{heading} {label}: {m['vals']}".strip(), start,
                     start + len(v["num"]), version)
        if target:
            fact["basis"] = "estimate"
        out.append(fact)
    return out


def _fact(note, code, when, value, unit, decimals, value_text, evidence, start, end, version) -> dict:
    return {"note_id": note["note_id"], "source_file": note["source_file"], "company_name": note.get("company_name"),
            "company_ticker": note.get("company_ticker"), "metric_code": code, "segment_code": "",
            "measure": "level", "period_label": when.isoformat(), "period_type": "instant", "basis": "actual",
            "value": value, "unit": unit, "decimals": decimals, "value_text": value_text, "evidence": evidence,
            "span_start": start, "span_end": end, "rule_id": "kv.box", "extractor_version": version}


def _kv_line(line: str):
    m = KV_LINE.match(clean_cell_keep_offsets(line))
    if not m:
        return None
    label = m["label"].strip()
    if not re.search(r"[^\W\d_]", label):
        return None
    return m


def clean_cell_keep_offsets(line: str) -> str:
    """Tags replaced by spaces of the same length so offsets into the note stay valid."""
    return re.sub(r"</?b>|\*\*", lambda m: " " * len(m.group(0)), line)


def _line_facts(note, m, line_start, labels: MetricLabels, units, version, when: date, heading) -> list[dict]:
    label = clean_cell(m["label"])
    trailing_unit = (m["unit"] or "").strip()
    keys = [k for k in re.split(r"/", re.sub(r"\([^()]*\)", "", label)) if k.strip()]
    vals = [(v.group(0), v.start()) for v in re.finditer(_NUM, m["vals"])]
    if len(keys) != len(vals):
        return []
    unit = parse_unit(label, units)
    if trailing_unit:
        trailing = parse_unit(f"({trailing_unit})", units)
        unit = unit.merged_over(trailing) if unit != type(unit)() else trailing
    out = []
    for key, (raw, voff) in zip(keys, vals, strict=True):
        code = labels.lookup_box(key)
        if code is None or labels.category.get(code) not in BOX_CATEGORIES:
            continue
        cv: CellValue | None = parse_value(raw)
        if cv is None:
            continue
        u, value, decimals = normalise_cell("level", labels.value_type.get(code), unit, cv)
        if u is None:
            continue
        start = line_start + m.start("vals") + voff
        out.append(
            {
                "note_id": note["note_id"],
                "source_file": note["source_file"],
                "company_name": note.get("company_name"),
                "company_ticker": note.get("company_ticker"),
                "metric_code": code,
                "segment_code": "",
                "measure": "level",
                "period_label": when.isoformat(),
                "period_type": "instant",
                "basis": "actual",
                "value": value,
                "unit": u,
                "decimals": decimals,
                "value_text": raw + (trailing_unit or ""),
                "evidence": f"{heading} {label} {m['vals']}{(' ' + trailing_unit) if trailing_unit else ''}",
                "span_start": start,
                "span_end": start + len(raw),
                "rule_id": "kv.box",
                "extractor_version": version,
            }
        )
    return out
