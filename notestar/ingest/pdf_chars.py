"""Open a PDF with pdfminer.six and read each page as positioned glyphs and horizontal rules.

pdfminer's own layout analysis (LAParams) is skipped on purpose: all grouping is done from glyph
boxes in `pdf_layout` / `pdf_tables`, which also sees text drawn inside Form XObjects (what
`LAParams(all_texts=True)` is for) because glyphs are collected from every LTFigure.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage, LTLine, LTRect
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from .errors import BadInput

MIN_GLYPH_SIZE = 3.5  # points; tracking strings and hidden marks are drawn smaller than any real text


class PdfRejected(BadInput):
    """A PDF that cannot become a note (check_name is one of the pdf.* names)."""


@dataclass(slots=True)
class Glyph:
    x0: float
    x1: float
    y0: float
    y1: float
    size: float
    text: str

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class PageGlyphs:
    number: int  # 1-based
    width: float
    height: float
    glyphs: list[Glyph] = field(default_factory=list)
    hrules: list[tuple[float, float, float]] = field(default_factory=list)  # (x0, x1, y)
    images: int = 0
    image_boxes: list[tuple[float, float, float, float]] = field(default_factory=list)
    white: list[Glyph] = field(default_factory=list)


def _invisible(ch: LTChar) -> bool:
    """White fill text is a common way to hide tracking strings."""
    color = getattr(ch.graphicstate, "ncolor", None)
    if color is None:
        return False
    if isinstance(color, int | float):
        return color >= 0.99 and ch.ncs is not None and ch.ncs.name == "DeviceGray"
    if isinstance(color, tuple) and len(color) == 3:
        return all(isinstance(c, int | float) and c >= 0.99 for c in color)
    if isinstance(color, tuple) and len(color) == 4:  # CMYK white
        return all(isinstance(c, int | float) and c <= 0.01 for c in color)
    return False


def _collect(obj, page: PageGlyphs) -> None:
    for item in obj:
        if isinstance(item, LTChar):
            text = item.get_text()
            if not text.strip() or not item.upright or item.size < MIN_GLYPH_SIZE:
                continue
            if item.x1 < 0 or item.x0 > page.width or item.y1 < 0 or item.y0 > page.height:
                continue
            glyph = Glyph(item.x0, item.x1, item.y0, item.y1, item.size, text)
            if _invisible(item):
                page.white.append(glyph)  # kept later only when drawn over an image (a banner title)
                continue
            page.glyphs.append(glyph)
        elif isinstance(item, LTImage):
            page.images += 1
            page.image_boxes.append(item.bbox)
        elif isinstance(item, LTLine | LTRect | LTCurve):
            if item.height <= 2.0 and item.width >= 8.0:
                page.hrules.append((item.x0, item.x1, (item.y0 + item.y1) / 2))
            elif isinstance(item, LTRect) and item.width >= 8.0:
                # a cell rectangle: its top and bottom edges are row separators
                page.hrules.append((item.x0, item.x1, item.y0))
                page.hrules.append((item.x0, item.x1, item.y1))
        if isinstance(item, LTContainer) and not isinstance(item, LTChar):
            _collect(item, page)


def open_document(data: bytes) -> tuple[PDFDocument, PDFParser]:
    """Parse the document structure; classify failures into pdf.* check names."""
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise PdfRejected("pdf.unreadable", "not a PDF: the file does not start with %PDF")
    truncated = b"%%EOF" not in data[-2048:]
    try:
        parser = PDFParser(io.BytesIO(data))
        doc = PDFDocument(parser)
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise PdfRejected("pdf.encrypted",
                          f"the PDF is encrypted and needs a password ({type(exc).__name__})") from None
    except Exception as exc:  # pdfminer raises many parser-internal types
        if truncated:
            raise PdfRejected("pdf.truncated", "the file ends before the PDF's end marker (%%EOF): "
                                               f"an incomplete copy ({type(exc).__name__})") from None
        raise PdfRejected("pdf.unreadable", f"pdfminer cannot parse it: {type(exc).__name__}: {exc}") from None
    if truncated:
        raise PdfRejected("pdf.truncated", "the file ends before the PDF's end marker (%%EOF): an incomplete copy")
    if doc.encryption is not None and not doc.is_extractable:
        raise PdfRejected("pdf.encrypted", "the PDF is encrypted and does not allow text extraction")
    return doc, parser


def count_pages(doc: PDFDocument) -> int:
    return sum(1 for _ in PDFPage.create_pages(doc))


def iter_pages(doc: PDFDocument, wanted: set[int] | None = None) -> Iterator[PageGlyphs]:
    """Glyphs of each page (1-based numbers); only the `wanted` ones when given."""
    rsrc = PDFResourceManager(caching=True)
    device = PDFPageAggregator(rsrc, laparams=None)
    interp = PDFPageInterpreter(rsrc, device)
    for number, page in enumerate(PDFPage.create_pages(doc), start=1):
        if wanted is not None and number not in wanted:
            continue
        interp.process_page(page)
        layout = device.get_result()
        x0, y0, x1, y1 = layout.bbox
        out = PageGlyphs(number=number, width=x1 - x0, height=y1 - y0)
        _collect(layout, out)
        for g in out.white:
            if any(x0 <= g.x0 and g.x1 <= x1 and y0 <= g.y0 and g.y1 <= y1 for x0, y0, x1, y1 in out.image_boxes):
                out.glyphs.append(g)
        out.white = []
        if x0 or y0:  # normalise a shifted MediaBox to a 0-based page
            for g in out.glyphs:
                g.x0, g.x1, g.y0, g.y1 = g.x0 - x0, g.x1 - x0, g.y0 - y0, g.y1 - y0
            out.hrules = [(a - x0, b - x0, y - y0) for a, b, y in out.hrules]
        yield out


def outline_pages(doc: PDFDocument) -> list[tuple[str, int, int]]:
    """(title, 1-based page, level) of the document outline, [] when there is none or it is unreadable."""
    try:
        page_ids = {page.pageid: n for n, page in enumerate(PDFPage.create_pages(doc), start=1)}
        out = []
        for level, title, dest, action, _se in doc.get_outlines():
            target = dest
            if target is None and isinstance(action, dict):
                target = action.get("D")
            target = _resolve(target)
            if isinstance(target, dict):
                target = _resolve(target.get("D"))
            if isinstance(target, list) and target:
                ref = target[0]
                objid = getattr(ref, "objid", None)
                if objid in page_ids:
                    out.append((str(title), page_ids[objid], level))
                elif isinstance(ref, int):
                    out.append((str(title), ref + 1, level))
        return out
    except Exception:
        return []


def _resolve(obj):
    from pdfminer.pdftypes import resolve1

    try:
        return resolve1(obj)
    except Exception:
        return None
