"""Rebuild tables from segment positions: rows from baselines, columns from the x extents of value cells.

A physical line with two or more numeric/year cells is a table line. Side-by-side tables are told apart
by starting a new group at every label that follows a value (when more values follow it); groups whose
x extents overlap belong to one table. Wrapped labels and wrapped numbers are joined into their row
when the lines are tighter than a row pitch and no ruling line separates them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .pdf_layout import Segment, group_into_lines, join_text

NUM = re.compile(r"^[(（]?[-−–+]?\s?(?=[\d.,]*\d)[\d,]*\.?\d*\s?%?[)）]?[xX倍]?$")
YEAR = re.compile(
    r"^(?:FY\s?)?(?:19|20)\d{2}(?:[AEFPH]|年(?:度)?(?:末|初)?|Q[1-4]|H[12]|[AE]?[/-]\d{1,2}(?:[AE])?)?$"
    r"|^(?:19|20)\d{2}\s?年\s?(?:\d{1,2}\s?月\s?\d{1,2}\s?日|第[一二三四]季度|[1-9]-\d{1,2}月|上半年|半年度|前三季度)$"
)
NULL = re.compile(r"^(?:-{1,2}|—{1,2}|–|N/?A|n\.?a\.?|NM|/)$")
REGION_GAP = 5.0  # vertical gap (font sizes) between table lines that ends a table region
WRAP_GAP = 0.45  # vertical gap (font sizes) below which a line continues the row above


def classify(seg: Segment) -> str:
    t = seg.text.replace(" ", "")
    if YEAR.match(t):
        return "year"
    if NUM.match(t):
        return "num"
    if NULL.match(t):
        return "null"
    return "text"


def _is_value(kind: str) -> bool:
    return kind in ("num", "year", "null")


@dataclass
class Group:
    """Cells of one physical line that belong to one table: label segments, then value segments."""

    label: list[Segment]
    values: list[Segment]

    @property
    def x0(self) -> float:
        return min(s.x0 for s in self.label + self.values)

    @property
    def x1(self) -> float:
        return max(s.x1 for s in self.label + self.values)

    @property
    def y0(self) -> float:
        return min(s.y0 for s in self.label + self.values)

    @property
    def y1(self) -> float:
        return max(s.y1 for s in self.label + self.values)

    @property
    def size(self) -> float:
        return max(s.size for s in self.label + self.values)

    @property
    def is_header(self) -> bool:
        kinds = [s.kind for s in self.values]
        return kinds.count("year") >= 2 and kinds.count("num") == 0


@dataclass
class Table:
    page: int
    x0: float
    x1: float
    y0: float
    y1: float
    title: str | None
    header: list[str] | None  # column heads, same length as each row's cells
    header_label: str = ""
    rows: list[tuple[str, list[str]]] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)

    @property
    def ncols(self) -> int:
        return len(self.header) if self.header else (len(self.rows[0][1]) if self.rows else 0)

    def render(self, with_header: bool = True) -> list[str]:
        out = []
        if with_header and self.title:
            out.append(self.title)
        if with_header and self.header:
            out.append("\t".join([self.header_label, *self.header]))
        for label, cells in self.rows:
            out.append("\t".join([label, *cells]))
        return out


def _groups(line: list[Segment]) -> list[Group]:
    groups: list[Group] = []
    cur = Group([], [])
    years = sum(1 for s in line if s.kind == "year")
    nums = sum(1 for s in line if s.kind == "num")
    for i, s in enumerate(line):
        if s.kind == "text":
            if cur.values:
                rest = sum(1 for t in line[i + 1:] if t.kind in ("num", "year"))
                if rest >= 2:
                    groups.append(cur)
                    cur = Group([s], [])
                    continue
                if years >= 2 and nums == 0:
                    cur.values.append(s)  # a text column head among years (e.g. 本年比上年增减)
                else:
                    groups.append(cur)  # text right of the values: another column's prose, not a cell
                    cur = Group([s], [])
            else:
                cur.label.append(s)
        else:
            cur.values.append(s)
    groups.append(cur)
    return groups


def _tabular(line: list[Segment]) -> bool:
    kinds = [s.kind for s in line]
    strong = kinds.count("num") + kinds.count("year")
    return strong >= 2 or (strong >= 1 and strong + kinds.count("null") >= 3)


def _regions(lines: list[list[Segment]]) -> list[list[list[Segment]]]:
    """Runs of table lines; short label-like lines may sit between them, a prose line may not."""
    regions: list[list[list[Segment]]] = []
    last = None  # (bottom, size) of the region's last table line
    for ln in lines:
        if not _tabular(ln):
            if sum(len(s.text) for s in ln) > 30 or any(len(s.text) > 20 for s in ln):
                last = None  # prose between: the next table line starts a new region
            elif last is not None and last[0] - max(s.y1 for s in ln) <= REGION_GAP * last[1]:
                last = (min(s.y0 for s in ln), last[1])  # a row with no values (empty statement line)
            continue
        top = max(s.y1 for s in ln)
        size = max(s.size for s in ln)
        if last is not None and last[0] - top <= REGION_GAP * size:
            regions[-1].append(ln)
        else:
            regions.append([ln])
        last = (min(s.y0 for s in ln), size)
    return regions


def _cluster_groups(groups: list[Group]) -> list[list[Group]]:
    """Union groups whose x extents overlap (one table), keep non-overlapping ones apart."""
    parent = list(range(len(groups)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(groups):
        for j in range(i + 1, len(groups)):
            b = groups[j]
            if min(a.x1, b.x1) - max(a.x0, b.x0) > 0:
                parent[find(i)] = find(j)
    clusters: dict[int, list[Group]] = {}
    for i, g in enumerate(groups):
        clusters.setdefault(find(i), []).append(g)
    return sorted(clusters.values(), key=lambda c: (min(g.x0 for g in c), -max(g.y1 for g in c)))


def _columns(groups: list[Group]) -> list[list[float]]:
    spans = sorted([s.x0, s.x1] for g in groups if not g.is_header for s in g.values)
    cols: list[list[float]] = []
    for a, b in spans:
        if cols and a <= cols[-1][1] + 0.5:
            cols[-1][1] = max(cols[-1][1], b)
        else:
            cols.append([a, b])
    return cols


def _column_of(seg: Segment, cols: list[list[float]]) -> int | None:
    best, best_ov = None, 0.0
    for i, (a, b) in enumerate(cols):
        ov = min(seg.x1, b) - max(seg.x0, a)
        if ov > best_ov:
            best, best_ov = i, ov
    if best is not None:
        return best
    center = (seg.x0 + seg.x1) / 2
    dist = [(abs(center - (a + b) / 2), i) for i, (a, b) in enumerate(cols)]
    if dist and min(dist)[0] <= 1.5 * seg.size + (seg.x1 - seg.x0) / 2:
        return min(dist)[1]
    return None


def _long_rules(hrules, x0: float, x1: float, y0: float, y1: float) -> list[float]:
    """y of ruling lines that cross most of the table: row borders, not cell shading edges."""
    width = x1 - x0
    return sorted(y for a, b, y in hrules
                  if y0 - 2 <= y <= y1 + 2 and min(b, x1) - max(a, x0) >= 0.6 * width)


def _separated(upper: Group, lower: Group, rules: list[float]) -> bool:
    return any(lower.y1 - 1.0 < y < upper.y0 + 1.0 for y in rules)


def _merge_wraps(groups: list[Group], hrules) -> list[Group]:
    """Join a label-only line or a label-less value line into the row it continues."""
    x0, x1 = min(g.x0 for g in groups), max(g.x1 for g in groups)
    y0, y1 = min(g.y0 for g in groups), max(g.y1 for g in groups)
    rules = _long_rules(hrules, x0, x1, y0, y1)
    # ruled: rules run between the rows, not just a frame around the table
    inner = {round(y) for y in rules if y0 + 1 < y < y1 - 1}
    lines_with_values = sum(1 for g in groups if g.values)
    ruled = len(inner) >= max(1, (lines_with_values - 1) // 2)

    def close(up: Group, g: Group) -> bool:
        gap = up.y0 - g.y1
        if up.is_header or g.is_header or gap >= 1.2 * g.size:
            return False
        return (not _separated(up, g, rules)) if ruled else gap < WRAP_GAP * g.size

    groups = list(groups)
    # a label-only line right above a row whose label reads as its tail ('（ROE）') or that has no label
    # (values centred on a two-line label): the line starts that row's label
    for i in range(len(groups) - 2, -1, -1):
        g, nxt = groups[i], groups[i + 1]
        if g.label and not g.values and nxt.values and close(g, nxt):
            tail = _label_text(nxt.label)
            if not nxt.label or tail[:1] in "（(" or len(tail) <= 3:
                groups[i:i + 2] = [Group(g.label + nxt.label, nxt.values)]
    out: list[Group] = []
    for g in groups:
        if out and close(out[-1], g):
            up = out[-1]
            # a half-row continues the row above; with row rules, so do tight lines or a label-less value
            # line above a labelled one (values wrapped over two lines, label centred on the second)
            if (g.label and not g.values and up.values) or (up.label and not up.values) \
                    or (not g.label and g.values) \
                    or (ruled and (up.y0 - g.y1 < WRAP_GAP * g.size or (not up.label and up.values))):
                out[-1] = Group(up.label + g.label, up.values + g.values)
                continue
        out.append(g)
    return out


def _label_text(segs: list[Segment]) -> str:
    text = ""
    for s in sorted(segs, key=lambda s: (-round(s.yc), s.x0)):
        text = join_text(text, s.text.strip())
    return text


def _cell_text(segs: list[Segment]) -> str:
    text = ""
    for s in sorted(segs, key=lambda s: -s.yc):
        t = s.text.strip()
        # a number wrapped inside a narrow cell: '999,254,562.' + '78'
        text = text + t if text and (text[-1].isdigit() or text[-1] in ".,") and t[:1].isdigit() \
            else join_text(text, t)
    return text


def _is_title(label: str) -> bool:
    return bool(re.search(r"表|指标|预测|估值|摘要|数据|[(（][^)）]*[元%][^)）]*[)）]", label))


def _header_segments(header: Group | None, body: list[Group], cols: list[list[float]], x1: float,
                     free: list[Segment]) -> list[Segment]:
    """Column heads: the year row plus short lines stacked right above the first data row
    (multi-level heads such as 2018年 over 调整前/调整后). Taken out of `free`."""
    heads = list(header.values) if header else []
    if not body or not cols:
        return heads
    size = body[0].size
    top = max(g.y1 for g in body[:1])
    limit = (header.y1 + 1.6 * size) if header else top + 3.5 * size
    extra = [s for s in free
             if top - 0.3 * s.size < s.yc <= limit and s.x0 >= cols[0][0] - 2 * s.size and s.x1 <= x1 + 2 * s.size
             and len(s.text) <= 16 and not re.search(r"[。，；：:]", s.text)]
    for s in extra:
        free.remove(s)
    return heads + extra


def _caption(free: list[Segment], x0: float, top: float, size: float) -> Segment | None:
    """A short line right above the table's top-left corner: its title (表1：… / 利润表（百万元）)."""
    best = None
    for s in free:
        if (s.kind == "text" and 0 <= s.y0 - top + 0.3 * size <= 2.5 * size and abs(s.x0 - x0) <= 2 * size
                and s.size <= 1.6 * size and len(s.text) <= 30 and "。" not in s.text):
            if best is None or s.y0 < best.y0:
                best = s
    return best


def _build(page: int, groups: list[Group], attached: list[Segment], hrules) -> list[Table]:
    groups = sorted(groups, key=lambda g: -g.y1)
    # split at a header row that follows data rows: a second table stacked below the first
    parts: list[list[Group]] = [[]]
    for g in groups:
        if g.is_header and any(not h.is_header for h in parts[-1]):
            parts.append([])
        parts[-1].append(g)
    tables = []
    for part in parts:
        x0, x1 = min(g.x0 for g in part), max(g.x1 for g in part)
        y0, y1 = min(g.y0 for g in part), max(g.y1 for g in part)
        cols = _columns(part)
        first_col = cols[0][0] if cols else x1
        extra = [Group([s], []) for s in attached
                 if s.kind == "text" and x0 - 3 <= s.x0 and s.x1 <= first_col + 1 and y0 - 0.6 * s.size <= s.yc <= y1]
        # a lone value vertically centred in a taller row sits on a line of its own
        lo = cols[0][0] - 2 if cols else x1
        extra += [Group([], [s]) for s in attached
                  if s.kind in ("num", "null") and y0 <= s.yc <= y1 and lo <= s.x0 and s.x1 <= x1 + 2]
        if not any(g.is_header for g in part):
            # a table running on from the previous page may start with rows that have no values
            size, top = part[0].size, y1
            for s in sorted((s for s in attached if s.kind == "text" and s.yc > y1), key=lambda s: s.y0):
                if s.y0 - top > 2.6 * size or not (x0 - 3 <= s.x0 and s.x1 <= first_col + 1) or len(s.text) > 30:
                    break
                extra.append(Group([s], []))
                top = s.y1
        for s in (seg for e in extra for seg in e.label + e.values):
            attached.remove(s)
        rows = _merge_wraps(sorted(part + extra, key=lambda g: -g.y1), hrules)
        header, header_label = None, ""
        body = []
        for g in rows:
            if g.is_header and header is None and not body:
                header_label = _label_text(g.label)
                header = g
            else:
                body.append(g)
        if not cols and header is not None:
            cols = [[s.x0, s.x1] for s in header.values]
        heads = _header_segments(header, body, cols, x1, attached)
        for s in (header.values if header else []):  # a year over an empty column still makes a column
            if not any(min(s.x1, b) - max(s.x0, a) > 0 for a, b in cols) and _column_of(s, cols) is None:
                cols.append([s.x0, s.x1])
        cols.sort()
        head_cells = None
        if heads:
            parts_of: list[list[Segment]] = [[] for _ in cols]
            for s in heads:
                hit = [i for i, (a, b) in enumerate(cols) if min(s.x1, b) - max(s.x0, a) > 0]
                if not hit and cols:  # a short wrapped head piece ('减') between columns: the nearest one
                    dist, i = min((abs((s.x0 + s.x1) / 2 - (a + b) / 2), i) for i, (a, b) in enumerate(cols))
                    hit = [i] if dist <= 4 * s.size else []
                for i in hit:  # a head centred over two sub-columns heads both
                    parts_of[i].append(s)
            head_cells = [_label_text(p) for p in parts_of]
        out_rows = []
        for g in body:
            cells: list[list[Segment]] = [[] for _ in cols]
            for s in g.values:
                i = _column_of(s, cols)
                if i is not None:
                    cells[i].append(s)
            label = _label_text(g.label)
            values = [_cell_text(c) for c in cells]
            if not label and not any(values):
                continue
            out_rows.append((label, values))
        title = None
        if header is not None and header_label and _is_title(header_label):
            title, header_label = header_label, ""
        segs = [s for g in rows for s in g.label + g.values] + heads
        caption = None if title or header is None else _caption(attached, x0, max(s.y1 for s in segs), part[0].size)
        if caption is not None:
            attached.remove(caption)
            segs.append(caption)
            title = caption.text.strip()
        if not any(lbl for lbl, _ in out_rows) or not any(any(v) for _, v in out_rows):
            continue  # axis ticks or a stray number line: not a table
        tables.append(Table(page, x0, x1, y0, y1, title, head_cells, header_label, out_rows, segs))
    return tables


def find_tables(page_no: int, segments: list[Segment],
                hrules: list[tuple[float, float, float]]) -> tuple[list[Table], list[Segment]]:
    """Tables on one page and the segments left over for the prose flow."""
    for s in segments:
        s.kind = classify(s)
    lines = group_into_lines(segments)
    tables: list[Table] = []
    used: set[int] = set()
    regions = _regions(lines)
    in_table_lines = {id(s) for region in regions for ln in region for s in ln}
    free = [s for s in segments if id(s) not in in_table_lines]
    for region in regions:
        groups = [g for ln in region for g in _groups(ln) if g.values]
        for cluster in _cluster_groups(groups):
            built = _build(page_no, cluster, free, hrules)
            for t in built:
                used.update(id(s) for s in t.segments)
            tables.extend(built)
    rest = [s for s in segments if id(s) not in used]
    return tables, rest
