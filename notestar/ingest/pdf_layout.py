"""Glyphs -> segments (runs of text on one baseline) -> columns -> lines and paragraphs, in reading order.

Coordinates are PDF points with y growing upwards. A segment is split wherever the gap between two
glyphs is wider than about one character, so table cells and side-by-side columns become separate
segments even when pdfminer's own line finder would glue them together.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .pdf_chars import Glyph, PageGlyphs

SEGMENT_GAP = 0.9  # x gap, in font sizes, that ends a segment
SPACE_GAP = 0.2  # x gap, in font sizes, that becomes a space between non-CJK glyphs
WORD_GAP = 0.75  # x gap, in font sizes, that is a space even between CJK glyphs (wider than justification)
TAB_GAP = 1.8  # gap between segments of one line that is written as a tab (key\tvalue)
MARGIN_BAND = 0.09  # top/bottom share of the page where running headers and footers live
MIN_GUTTER = 6.0  # points of empty x between two columns

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_TRACKING = re.compile(r"^[A-Za-z0-9+/=]{12,}$")
_PAGE_NO = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d+\s*页)?[-—–\s]*$")


def is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


def join_text(a: str, b: str) -> str:
    """Join two pieces of one sentence: no space around CJK, one space between Latin words."""
    if not a:
        return b
    if not b:
        return a
    if a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


@dataclass
class Segment:
    x0: float
    x1: float
    y0: float
    y1: float
    size: float
    text: str
    kind: str = ""  # filled by the table finder: num | year | text

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def width(self) -> float:
        return self.x1 - self.x0


def _segment_text(glyphs: list[Glyph]) -> str:
    out = [glyphs[0].text]
    for prev, g in zip(glyphs, glyphs[1:], strict=False):
        gap = g.x0 - prev.x1
        size = max(prev.size, g.size)
        if gap > SPACE_GAP * size and not (is_cjk(prev.text[-1]) or is_cjk(g.text[0])) or gap > WORD_GAP * size:
            out.append(" ")
        out.append(g.text)
    return "".join(out)


def build_segments(glyphs: list[Glyph]) -> list[Segment]:
    """Group glyphs into baseline rows, then cut each row at wide gaps."""
    rows: list[list[Glyph]] = []
    anchor = 0.0
    for g in sorted(glyphs, key=lambda g: (-g.yc, g.x0)):
        if rows and abs(anchor - g.yc) <= 0.4 * min(g.size, rows[-1][0].size):
            rows[-1].append(g)
        else:
            rows.append([g])
            anchor = g.yc
    segments: list[Segment] = []
    for row in rows:
        row.sort(key=lambda g: g.x0)
        run: list[Glyph] = []
        for g in row:
            if run:
                prev = run[-1]
                # a glyph drawn twice at (almost) the same place fakes bold: keep one
                if g.text == prev.text and abs(g.x0 - prev.x0) < 0.3 * g.size:
                    continue
                if g.x0 - prev.x1 > SEGMENT_GAP * max(prev.size, g.size):
                    segments.extend(_split_numbers(run))
                    run = []
            run.append(g)
        if run:
            segments.extend(_split_numbers(run))
    return segments


_NUM_TOKEN = re.compile(r"^[(（]?[-−–+]?\d[\d,]*(?:\.\d+)?%?[)）]?$")
_GLUED = re.compile(r"(?<=\.\d\d)(?=[-−+]\d)")  # '1,144,409,195.72-13.23%': amount glued to a change


def _split_numbers(run: list[Glyph]) -> list[Segment]:
    """Narrow table columns put numbers closer than a segment gap: one segment per number."""
    seg = _make_segment(run)
    tokens = seg.text.split(" ")
    if not all(_NUM_TOKEN.match(t) or _GLUED.search(t) for t in tokens) or not any(c.isdigit() for c in seg.text):
        return [seg]
    cuts = {0, len(run)}
    for i in range(1, len(run)):
        prev, g = run[i - 1], run[i]
        if g.x0 - prev.x1 > SPACE_GAP * max(prev.size, g.size):
            cuts.add(i)
    text = "".join(g.text for g in run)
    if all(len(g.text) == 1 for g in run):
        cuts.update(m.start() for m in _GLUED.finditer(text))
    bounds = sorted(cuts)
    parts = [run[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]
    if len(parts) < 2 or not all(_NUM_TOKEN.match("".join(g.text for g in p)) for p in parts):
        return [seg]
    return [_make_segment(p) for p in parts]


def _make_segment(run: list[Glyph]) -> Segment:
    sizes = Counter(round(g.size, 1) for g in run)
    return Segment(
        x0=min(g.x0 for g in run), x1=max(g.x1 for g in run),
        y0=min(g.y0 for g in run), y1=max(g.y1 for g in run),
        size=sizes.most_common(1)[0][0], text=_segment_text(run),
    )


def is_tracking_string(text: str) -> bool:
    """Random-letter strings brokers stamp on pages to trace leaks: long, mixed case, no words."""
    if not _TRACKING.match(text):
        return False
    flips = sum(1 for a, b in zip(text, text[1:], strict=False) if a.isupper() != b.isupper() and a.isalpha()
                and b.isalpha())
    return flips >= 4 or (any(c.isdigit() for c in text) and any(c.islower() for c in text)
                          and any(c.isupper() for c in text))


@dataclass
class Page:
    number: int
    width: float
    height: float
    segments: list[Segment] = field(default_factory=list)
    hrules: list[tuple[float, float, float]] = field(default_factory=list)
    images: int = 0


def layout_page(pg: PageGlyphs) -> Page:
    segs = [s for s in build_segments(pg.glyphs) if not is_tracking_string(s.text.replace(" ", ""))]
    return Page(pg.number, pg.width, pg.height, segs, pg.hrules, pg.images)


def _margin_key(seg: Segment, page: Page) -> tuple[str, int] | None:
    if seg.y0 > page.height * (1 - MARGIN_BAND):
        band = 1
    elif seg.y1 < page.height * MARGIN_BAND:
        band = -1
    else:
        return None
    return re.sub(r"\d+", "#", seg.text.replace(" ", "")), band


def drop_running_lines(pages: list[Page]) -> None:
    """Remove page numbers and the headers/footers repeated in the page margins."""
    counts: Counter = Counter()
    for page in pages:
        keys = {k for s in page.segments if (k := _margin_key(s, page))}
        counts.update(keys)
    repeat = max(2, (len(pages) + 1) // 2)
    for page in pages:
        kept = []
        for s in page.segments:
            key = _margin_key(s, page)
            if key and (counts[key] >= repeat or _PAGE_NO.match(s.text)):
                continue
            kept.append(s)
        page.segments = kept


# ---------------------------------------------------------------- columns and lines


@dataclass
class Line:
    x0: float
    x1: float
    y0: float
    y1: float
    size: float
    text: str
    cells: int = 1  # segments written on this line (2+ for key/value rows)


def _gutters(items: list, x_lo: float, x_hi: float) -> list[tuple[float, float]]:
    """x runs (>= MIN_GUTTER wide) crossed by at most a few items: candidate column gutters."""
    lo, width = int(x_lo), int(x_hi) - int(x_lo) + 2
    diff = [0] * (width + 1)
    for it in items:
        a, b = int(it.x0) - lo + 1, int(it.x1) - lo  # strictly inside the item
        if b > a:
            diff[a] += 1
            diff[b] -= 1
    limit = max(2, len(items) // 12)
    cover, level = 0, []
    for x in range(width):
        cover += diff[x]
        level.append(cover)
    runs, start = [], None
    for x in range(width):
        if level[x] <= limit and 0 < x < width - 1:
            start = x if start is None else start
        elif start is not None:
            # keep the run's least-crossed core: ragged line ends at its edges are not gutter
            low = min(level[start:x])
            core = [i for i in range(start, x) if level[i] == low]
            a, b = core[0], core[-1] + 1
            if b - a >= MIN_GUTTER and all(level[i] == low for i in range(a, b)):
                runs.append((a + lo, b + lo))
            start = None
    return runs


def _continues(above, it) -> bool:
    size = getattr(it, "size", None)
    return (size is not None and abs(getattr(above, "size", 0) - size) <= 0.6
            and above.y0 - it.y1 <= 0.8 * size and abs(above.x0 - it.x0) <= size)


def split_columns(items: list) -> list[list]:
    """Reading-order groups: bands separated by items spanning the gutter, columns inside each band.

    Items need x0/x1/y0/y1. Returned groups are read one after the other.
    """
    if len(items) < 6:
        return [sorted(items, key=lambda it: -it.y1)]
    x_lo = min(it.x0 for it in items)
    x_hi = max(it.x1 for it in items)
    best = None
    for a, b in _gutters(items, x_lo, x_hi):
        left = [it for it in items if it.x1 <= a + 2]
        right = [it for it in items if it.x0 >= b - 2]
        crossing = len(items) - len(left) - len(right)
        if len(left) < 3 or len(right) < 3 or crossing > 0.25 * min(len(left), len(right)):
            continue
        # both sides must run side by side for a while, or this is just a ragged gap
        top = min(max(it.y1 for it in left), max(it.y1 for it in right))
        bottom = max(min(it.y0 for it in left), min(it.y0 for it in right))
        if top - bottom < 40:
            continue
        # two columns of short pieces paired line by line are a key/value box, not a page layout
        widths = sorted(it.x1 - it.x0 for it in left + right)
        if widths[len(widths) * 3 // 4] < 100:
            continue
        score = (min(len(left), len(right)), b - a)  # the gutter with most text on both sides
        if best is None or score > best[0]:
            best = (score, a, b)
    if best is None:
        return [sorted(items, key=lambda it: -it.y1)]
    _score, a, b = best
    groups: list[list] = []
    band: list = []

    def flush():
        if band:
            left = [it for it in band if it.x1 <= a + 2]
            right = [it for it in band if it.x0 >= b - 2]
            cols = [c for c in (left, right) if c]
            # a narrow first-page sidebar (rating, analysts, price box) is read before the body
            if len(cols) == 2:
                wl = max(it.x1 for it in left) - min(it.x0 for it in left)
                wr = max(it.x1 for it in right) - min(it.x0 for it in right)
                if wr < 0.65 * wl:
                    cols = [right, left]
            for col in cols:
                groups.extend(split_columns(col))
            band.clear()

    for it in sorted(items, key=lambda it: -it.y1):
        if it.x1 > a + 2 and it.x0 < b - 2:
            flush()
            groups.append([it])
        elif not band and groups and _continues(groups[-1][-1], it):
            groups[-1].append(it)  # the short last line of a wrapped full-width title
        else:
            band.append(it)
    flush()
    return groups


def group_into_lines(segs: list[Segment]) -> list[list[Segment]]:
    """Segments sharing a baseline (within half a glyph), top to bottom, each line left to right."""
    lines: list[list[Segment]] = []
    for s in sorted(segs, key=lambda s: -s.yc):
        if lines and abs(lines[-1][0].yc - s.yc) <= 0.5 * min(s.size, lines[-1][0].size):
            lines[-1].append(s)
        else:
            lines.append([s])
    for line in lines:
        line.sort(key=lambda s: s.x0)
    return lines


def segments_to_lines(segs: list[Segment]) -> list[Line]:
    """Segments of one column -> lines, top to bottom; far-apart segments on one line joined by a tab."""
    out = []
    for group in group_into_lines(segs):
        text, cells = group[0].text, 1
        for prev, s in zip(group, group[1:], strict=False):
            if s.x0 - prev.x1 > TAB_GAP * max(prev.size, s.size) and len(prev.text) <= 16:
                text += "\t" + s.text
                cells += 1
            else:
                text = text + " " + s.text  # apart by more than a character: separate phrases
        out.append(Line(min(s.x0 for s in group), max(s.x1 for s in group), min(s.y0 for s in group),
                        max(s.y1 for s in group), max(s.size for s in group), text, cells))
    return out


def lines_to_paragraphs(lines: list[Line]) -> list[tuple[str, float]]:
    """Join wrapped lines into paragraphs; (text, font size) each."""
    if not lines:
        return []
    right = max(ln.x1 for ln in lines)
    # the column's usual line gap: double-spaced filings must not break a paragraph at every line
    gaps = sorted(a.y0 - b.y1 for a, b in zip(lines, lines[1:], strict=False)
                  if abs(a.size - b.size) <= 0.6 and 0 < a.y0 - b.y1 < 2 * b.size)
    usual = gaps[len(gaps) // 2] if len(gaps) >= 3 else 0.0
    paras: list[tuple[str, float]] = []
    cur: Line | None = None
    text = ""
    for ln in lines:
        if cur is not None:
            gap = cur.y0 - ln.y1
            same_font = abs(cur.size - ln.size) <= 0.6
            full = cur.x1 >= right - 2.5 * cur.size  # the previous line ran to the column edge
            aligned = ln.x0 <= cur.x0 + 1.2 * ln.size  # an indented line starts a paragraph
            close = gap <= max(0.9 * ln.size, 1.2 * usual)
            if same_font and full and aligned and close and cur.cells == 1 and ln.cells == 1:
                # CJK text wraps anywhere, even inside a Latin word: no space at its line breaks
                cjk = sum(1 for ch in text if is_cjk(ch))
                text = text + ln.text if cjk >= 0.3 * len(text) else join_text(text, ln.text)
                cur = ln
                continue
            paras.append((text, cur.size))
        cur, text = ln, ln.text
    if cur is not None:
        paras.append((text, cur.size))
    return paras
