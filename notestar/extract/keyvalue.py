"""Point-in-time facts from key-value boxes such as 基本数据 / 基础数据 / 市场数据.

A box is a heading line (optionally carrying its own date, "基本数据 2025 年 07 月 28 日") followed by
lines "label (unit)<tab or spaces>value [unit]"; a label may pair two keys with two values
("总市值/流通市值 27136/27136 百万元"). Facts are dated by the box's date, else by the note's date;
with neither, the box yields nothing (a point-in-time fact needs a date).
Only market, balance-sheet and per-share metrics are read from a box.
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
# "Price / market cap (11 Nov 2025): HK$13.42 / HK$24,615m": values written with their currency (and a short
# scale word), the label's bracket may date the line
_MONEY = r"(?:HK\$|US\$|RMB|S\$|\$)\s?[0-9][0-9,]*(?:\.[0-9]+)?\s?(?:bn|mn|m|k)?"
MONEY_LINE = re.compile(rf"^(?P<label>[^\t:：]*?[^\s:：])\s*[:：]\s*(?P<vals>{_MONEY}(?:\s*/\s*{_MONEY})*)\s*$")
_MONEY_VALUE = re.compile(r"(?P<cur>HK\$|US\$|RMB|S\$|\$)\s?(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)\s?(?P<scale>bn|mn|m|k)?")
EN_DATE = re.compile(r"\b([0-9]{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+"
                     r"((?:19|20)[0-9]{2})\b", re.IGNORECASE)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# a box's bare "Price" is the share price (the box is about the stock); box labels only, not prose vocabulary
BOX_ALIASES = {"price": "share_price_close", "shareprice": "share_price_close", "lastprice": "share_price_close"}


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
        i = j if seen_kv else i + 1
    return facts


def _money_facts(note, m, line_start, labels: MetricLabels, units, version, when: date, heading) -> list[dict]:
    """A box line whose values carry their currency: one fact per key, dated by the label's own date."""
    label = clean_cell(m["label"])
    when = _box_date(label) or when
    keys = [k for k in re.split(r"/", re.sub(r"\([^()]*\)", "", label)) if k.strip()]
    vals = list(_MONEY_VALUE.finditer(m["vals"]))
    if len(keys) != len(vals):
        return []
    out = []
    for key, v in zip(keys, vals, strict=True):
        code = labels.lookup(key) or BOX_ALIASES.get(re.sub(r"\s+", "", key).lower())
        if code is None or labels.category.get(code) not in BOX_CATEGORIES:
            continue
        cv = parse_value(v["num"])
        unit = parse_unit(f"({v['cur']} {v['scale'] or ''})", units)
        u, value, decimals = normalise_cell("level", labels.value_type.get(code), unit, cv) if cv else (None,) * 3
        if u is None:
            continue
        start = line_start + m.start("vals") + v.start("num")
        out.append(_fact(note, code, when, value, u, decimals, v[0], f"{heading} {label}: {m['vals']}", start,
                         start + len(v["num"]), version))
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
        code = labels.lookup(key)
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
