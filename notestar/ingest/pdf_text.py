"""One PDF -> note text (the shape of a PDF-converted broker report) and its metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .pdf_chars import PdfRejected, count_pages, iter_pages, open_document, outline_pages
from .pdf_layout import Page, drop_running_lines, layout_page, lines_to_paragraphs, segments_to_lines, split_columns
from .pdf_meta import (
    extract_meta,
    is_boiler_line,
    is_side_heading,
    is_tail_heading,
    looks_like_filing,
    report_period_line,
)
from .pdf_tables import Table, find_tables

MIN_TEXT_CHARS = 20  # fewer visible characters than this in the whole file: no text layer
FILING_MIN_PAGES = 40  # filings longer than this are laid out only where the figures are
FILING_SECTIONS = re.compile(r"公司信息|主要会计数据|主要财务数据|^[一二三四五六七八九十、\s]*财务报表\s*$"
                             r"|合并资产负债表|合并利润表|合并现金流量表|分季度主要财务指标")
DATE_LINE = re.compile(r"\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*")
TERMINAL = re.compile(r"[。！？!?；;：:」”）)]\s*$")
SECTION_PAGES = 8
STATEMENT_HEAD = re.compile(r"^\d+\s*[、.．]\s*\D*表|^[一二三四五六七八九十]+、\s*财务报表")
CHAPTER_HEAD = re.compile(r"^[一二三四五六七八九十]+、\D*$")  # at most this many pages per selected outline section


@dataclass
class Block:
    kind: str  # para | table
    page: int
    col: int
    text: str = ""
    size: float = 0.0
    table: Table | None = None


def _page_blocks(page: Page, col_base: int) -> tuple[list[Block], int]:
    tables, rest = find_tables(page.number, page.segments, page.hrules)
    items: list = list(rest) + list(tables)
    blocks: list[Block] = []
    col = col_base

    def flush(run: list, col: int) -> None:
        if run:
            for text, size in lines_to_paragraphs(segments_to_lines(run)):
                blocks.append(Block("para", page.number, col, text=text.strip(), size=size))
            run.clear()

    for group in split_columns(items):
        col += 1
        run: list = []
        for it in sorted(group, key=lambda it: -it.y1):
            if isinstance(it, Table):
                flush(run, col)
                blocks.append(Block("table", page.number, col, table=it))
            else:
                run.append(it)
        flush(run, col)
    return blocks, col


def _drop_boilerplate(blocks: list[Block], npages: int, sections: bool = True) -> list[Block]:
    """Drop legal/reference sections (broker reports only: `sections`) and boilerplate lines."""
    out: list[Block] = []
    skip_col = None
    for b in blocks:
        if skip_col is not None and b.col == skip_col:
            continue
        skip_col = None
        if b.kind == "para" and not sections:
            if is_boiler_line(b.text):
                continue
        elif b.kind == "para":
            if is_tail_heading(b.text):
                if b.page >= max(2, 0.6 * npages) or b.page == npages:
                    break  # legal tail of the report: nothing after it is analysis
                skip_col = b.col
                continue
            if is_side_heading(b.text):
                skip_col = b.col
                continue
            if is_boiler_line(b.text):
                continue
        out.append(b)
    return out


def _same_header(a: Table, b: Table) -> bool:
    return b.header is None or (a.header == b.header)


def _render(blocks: list[Block], drop: set[str]) -> str:
    lines: list[str] = []
    prev_table: Table | None = None
    prev_page = 0
    for i, b in enumerate(blocks):
        if b.kind == "table":
            t = b.table
            # a table continued on the next page: same columns, first thing on the new page
            cont = (prev_table is not None and b.page == prev_page + 1 and t.ncols == prev_table.ncols
                    and _same_header(prev_table, t) and blocks[i - 1].kind == "table")
            caption = (i > 0 and blocks[i - 1].kind == "para" and lines and lines[-1] == blocks[i - 1].text
                       and len(lines[-1]) <= 30 and "\t" not in lines[-1] and not lines[-1].endswith("。"))
            if not cont and not caption:
                lines.append("")  # a short line right above the table is its heading: keep them together
            lines.extend(t.render(with_header=not cont))
            prev_table, prev_page = t, b.page
            continue
        if b.text in drop or not b.text:
            continue
        prev = blocks[i - 1] if i else None
        if (prev is not None and prev.kind == "para" and b.page == prev.page + 1 and lines
                and lines[-1] == prev.text and len(prev.text) > 40 and not TERMINAL.search(prev.text)
                and not any(x.page == b.page for x in blocks[:i])):
            lines[-1] += b.text  # a paragraph running on from the previous page
            b.text = lines[-1]
            continue
        if prev_table is not None or (lines and "\t" not in b.text) or (lines and "\t" not in lines[-1]):
            lines.append("")
        lines.append(b.text)
        prev_table = None
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def _filing_pages(doc, npages: int) -> set[int] | None:
    """Pages worth laying out in a long filing: the cover and the sections holding the figures."""
    outline = outline_pages(doc)
    if not outline:
        return None
    wanted = {1, 2, 3}
    for i, (title, page, _level) in enumerate(outline):
        title = title.strip()
        if not FILING_SECTIONS.search(title):
            continue
        # where the section ends: the next statement (statements bookmark their rows too) or next chapter
        stop = STATEMENT_HEAD if STATEMENT_HEAD.search(title) else CHAPTER_HEAD
        later = [p for t, p, _lv in outline[i + 1:] if p > page and stop.search(t.strip())]
        end = min(later[0] if later else npages, page + SECTION_PAGES)
        wanted.update(range(page, end + 1))
    return wanted if len(wanted) > 3 else None


def pdf_to_text(path: Path, max_pages: int = 400) -> tuple[str, dict]:
    """Lay out one PDF; raise PdfRejected(check_name, reason) when it cannot become a note."""
    return read_pdf(path, max_pages=max_pages)


def read_pdf(path: Path, max_pages: int = 400, only_pages: int | None = None,
             filing_pages: bool = True) -> tuple[str, dict]:
    """pdf_to_text with knobs for the benchmark: lay out only the first `only_pages` pages, or every
    page of a long filing (`filing_pages=False`) instead of the outline sections holding the figures."""
    path = Path(path)
    data = path.read_bytes()
    doc, _parser = open_document(data)
    try:
        npages = count_pages(doc)
    except Exception as exc:
        raise PdfRejected("pdf.unreadable", f"the page tree cannot be read: {type(exc).__name__}") from None
    if npages == 0:
        raise PdfRejected("pdf.unreadable", "the PDF has no pages")
    if npages > max_pages:
        raise PdfRejected("pdf.too_large", f"{npages} pages is more than the limit of {max_pages}")

    pages: list[Page] = []
    filing = False
    try:
        pages.extend(layout_page(pg) for pg in iter_pages(doc, {1}))
        wanted = set(range(2, (min(only_pages, npages) if only_pages else npages) + 1))
        cover = " ".join(s.text for p in pages for s in p.segments)
        filing = looks_like_filing(cover)
        if filing_pages and not only_pages and npages > FILING_MIN_PAGES and filing:
            wanted = (_filing_pages(doc, npages) or wanted) - {1}
        for pg in iter_pages(doc, wanted):
            pages.append(layout_page(pg))
    except PdfRejected:
        raise
    except Exception as exc:
        if not pages:
            raise PdfRejected("pdf.unreadable", f"pdfminer failed on the first page: {type(exc).__name__}: "
                                                f"{exc}") from None
        # keep the pages read before a broken one
    visible = sum(len(s.text.replace(" ", "")) for p in pages for s in p.segments)
    if visible < MIN_TEXT_CHARS:
        images = sum(p.images for p in pages)
        if images:
            raise PdfRejected("pdf.image_only", f"no text layer: {images} image(s) and {visible} text characters "
                                                "(a scan needs OCR)")
        raise PdfRejected("pdf.image_only", f"no text layer: {visible} text characters on {npages} page(s)")

    drop_running_lines(pages)
    blocks: list[Block] = []
    col = 0
    for page in pages:
        page_blocks, col = _page_blocks(page, col)
        blocks.extend(page_blocks)
    raw_text = "\n".join(b.text for b in blocks if b.kind == "para")
    blocks = _drop_boilerplate(blocks, npages, sections=not filing)
    first = [(b.text, b.size) for b in blocks if b.kind == "para" and b.page == pages[0].number]
    meta = extract_meta(first, raw_text, raw_text, npages)
    meta["pages_laid_out"] = len(pages)
    header = []
    if meta.get("published_at"):
        d = meta["published_at"]
        header.append(f"{d.year} 年 {d.month:02d} 月 {d.day:02d} 日")
    drop = {t for t, _ in first if DATE_LINE.fullmatch(t)}  # the date now heads the note
    if meta.get("title"):
        header.append(meta["title"])
        drop.update(t for t, _ in first if len(t) >= 4 and t in meta["title"])
    if meta.get("company") and meta.get("ticker"):
        header.append(f"## {meta['company']} ({meta['ticker']})")
        code = meta["ticker"].split(".")[0]
        drop.update(t for t, _ in first if code in t and meta["company"] in t and len(t) < 40)
    period_line = report_period_line(meta.get("report_period"))
    if period_line:
        header.append(period_line)
    body = _render(blocks, drop)
    text = "\n\n".join(["\n\n".join(header), body]) if header else body
    return text + "\n", meta
