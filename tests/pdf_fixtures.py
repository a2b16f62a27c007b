"""Generate test PDFs with reportlab and the built-in CJK font STSong-Light.

A tiny flow layout: paragraphs wrapped by glyph width, key-value boxes, and tables with a left label
column and right-aligned number columns, page breaks with running header/footer and page number.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
PAGE_W, PAGE_H = A4
TRACKING = "QmXvTrPzKwLbNyHsDfGj"  # a random-letter tracking string, stamped on every page


def wrap(text: str, width: float, size: float) -> list[str]:
    """Greedy wrap by glyph width (CJK text has no spaces to break at)."""
    lines, cur = [], ""
    for ch in text:
        if pdfmetrics.stringWidth(cur + ch, FONT, size) > width and cur:
            lines.append(cur)
            cur = ch
        else:
            cur += ch
    if cur:
        lines.append(cur)
    return lines


@dataclass
class Flow:
    """Draws top to bottom in one column; starts a new page when the column is full."""

    c: canvas.Canvas
    x: float = 50
    width: float = PAGE_W - 100
    top: float = PAGE_H - 70
    bottom: float = 70
    y: float = 0
    page: int = 1
    header: str = "某某证券研究所 公司点评"
    footer: str = "请务必阅读正文之后的免责声明及其项下所有内容"
    decorate: bool = True

    def __post_init__(self):
        self.y = self.top
        if self.decorate:
            self._decorate()

    def _decorate(self):
        c = self.c
        c.setFont(FONT, 8)
        c.drawString(50, PAGE_H - 40, self.header)
        c.drawString(50, 35, self.footer)
        c.drawRightString(PAGE_W - 50, 35, str(self.page))
        c.setFont("Helvetica", 6)
        c.drawString(300, 20, TRACKING)

    def new_page(self):
        self.c.showPage()
        self.page += 1
        self.y = self.top
        self._decorate()

    def need(self, h: float):
        if self.y - h < self.bottom:
            self.new_page()

    def text(self, text: str, size: float = 10.5, leading: float | None = None, gap: float = 6):
        leading = leading or size * 1.5
        rest = text
        while rest:
            self.need(leading)  # may start a page with another column width: wrap line by line
            line = wrap(rest, self.width, size)[0]
            self.c.setFont(FONT, size)
            self.c.drawString(self.x, self.y - size, line)
            self.y -= leading
            rest = rest[len(line):]
        self.y -= gap

    def kv(self, pairs: list[tuple[str, str]], size: float = 8, key_w: float = 90):
        for k, v in pairs:
            self.need(size * 1.6)
            self.c.setFont(FONT, size)
            self.c.drawString(self.x, self.y - size, k)
            self.c.drawRightString(self.x + self.width, self.y - size, v)
            self.y -= size * 1.6
        self.y -= 6

    def table(self, title: str | None, header: list[str] | None, rows: list[list[str]], size: float = 8,
              label_w: float = 150, repeat_header: bool = False, x: float | None = None,
              width: float | None = None):
        x = self.x if x is None else x
        width = self.width if width is None else width
        ncols = len(header or rows[0]) - 1
        col_w = (width - label_w) / ncols
        pitch = size * 1.9

        def row(cells: list[str]):
            self.c.setFont(FONT, size)
            self.c.drawString(x, self.y - size, cells[0])
            for i, cell in enumerate(cells[1:]):
                self.c.drawRightString(x + label_w + col_w * (i + 1) - 4, self.y - size, cell)
            self.y -= pitch

        if title:
            self.need(3 * pitch)
            self.c.setFont(FONT, size + 1)
            self.c.drawString(x, self.y - size - 1, title)
            self.y -= pitch + 2
        if header:
            self.need(2 * pitch)
            row(header)
        for cells in rows:
            if self.y - pitch < self.bottom:
                self.new_page()
                if repeat_header and header:
                    row(header)
            row(cells)
        self.y -= 8


def new_canvas(buf: io.BytesIO, **kw) -> canvas.Canvas:
    c = canvas.Canvas(buf, pagesize=A4, **kw)
    c.setTitle("test")
    return c


def save(c: canvas.Canvas, buf: io.BytesIO, path: Path) -> Path:
    c.save()
    path.write_bytes(buf.getvalue())
    return path


def one_column_note(path: Path, paragraphs: list[str], table: tuple | None = None,
                    disclaimer: bool = True) -> Path:
    buf = io.BytesIO()
    c = new_canvas(buf)
    f = Flow(c)
    f.text("2025年03月18日", size=10)
    f.text("示例科技（688001.SH）：季度收入稳步增长，盈利能力改善", size=18, gap=12)
    for p in paragraphs:
        f.text(p)
    if table:
        f.table(*table)
    if disclaimer:
        f.new_page()
        f.text("免责声明", size=12)
        f.text("本报告仅供本公司客户使用。本报告所载资料的来源被认为是可靠的，但本公司不保证其准确性或完整性。" * 3,
               size=8)
    return save(c, buf, path)


def two_column_first_page(path: Path, body: list[str], sidebar_kv: list[tuple[str, str]]) -> Path:
    """A broker cover: title band, wide body column on the left, narrow sidebar on the right."""
    buf = io.BytesIO()
    c = new_canvas(buf)
    f = Flow(c, width=PAGE_W - 100)
    f.text("证券研究报告 | 2025年03月18日", size=9)
    f.text("示例科技（688001.SH）", size=20, gap=4)
    f.text("季度收入稳步增长，盈利能力改善", size=16, gap=14)
    top = f.y
    main = Flow(c, x=50, width=330, top=top, decorate=False)
    for p in body:
        main.text(p)
    side = Flow(c, x=400, width=145, top=top, decorate=False)
    side.text("公司研究·季报点评", size=9)
    side.text("证券分析师：张三", size=8, gap=2)
    side.text("S0000123456789", size=8)
    side.text("基本数据", size=9)
    side.kv(sidebar_kv, size=7.5)
    side.text("相关研究报告", size=9)
    side.text("《示例科技（688001.SH）-半年度净利润增长35%》——2024-08-20", size=7)
    return save(c, buf, path)


def split_table_pdf(path: Path, rows: list[list[str]], repeat_header: bool = False) -> Path:
    buf = io.BytesIO()
    c = new_canvas(buf)
    f = Flow(c)
    f.text("示例科技（688001.SH）财务报表预测", size=14)
    f.text("以下为利润表预测摘要，单位为百万元。")
    f.y = 220  # the table starts low on page 1 and runs onto page 2
    f.table("利润表（百万元）", ["会计年度", "2023", "2024", "2025E", "2026E"], rows, repeat_header=repeat_header)
    f.text("资料来源：公司公告，研究所预测")
    return save(c, buf, path)


def side_by_side_pdf(path: Path, left: tuple, right: tuple) -> Path:
    buf = io.BytesIO()
    c = new_canvas(buf)
    f = Flow(c)
    f.text("附录：财务预测摘要", size=14)
    start = f.y
    f.table(*left, size=7, label_w=90, x=50, width=240)
    f.y = start
    f.table(*right, size=7, label_w=90, x=305, width=240)
    return save(c, buf, path)


def encrypted_pdf(path: Path) -> Path:
    from reportlab.lib.pdfencrypt import StandardEncryption

    buf = io.BytesIO()
    c = new_canvas(buf, encrypt=StandardEncryption("secret-user", ownerPassword="secret-owner"))
    Flow(c).text("加密的报告正文，需要密码才能打开。")
    return save(c, buf, path)


def image_only_pdf(path: Path) -> Path:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (400, 300), "white")
    ImageDraw.Draw(img).rectangle((40, 40, 360, 260), outline="black", fill="gray")
    buf = io.BytesIO()
    c = new_canvas(buf)
    c.drawInlineImage(img, 80, 400, width=400, height=300)
    return save(c, buf, path)


def many_pages_pdf(path: Path, pages: int, rows_per_page: int = 40) -> Path:
    buf = io.BytesIO()
    c = new_canvas(buf)
    f = Flow(c)
    rows = [[f"项目{i}", f"{i * 3:,}", f"{i * 5:,}", f"{i * 7:,}"] for i in range(pages * rows_per_page)]
    f.table("明细表（元）", ["项目", "2022", "2023", "2024"], rows)
    return save(c, buf, path)


# ---------------------------------------------------------------- a text note rendered as a broker PDF

_MD = re.compile(r"</?b>|\*\*")


def note_blocks(text: str) -> list[tuple[str, object]]:
    """A PDF-converted note's text -> ('para', str) / ('table', (title, rows)) / ('kv', (heading, pairs)).

    Generic reading of the seed shape: tab lines form a table (or a key-value box when two cells wide),
    the short line above them is the title; '## ' headings and '- ' bullets become plain paragraphs.
    """
    blocks: list[tuple[str, object]] = []
    raw = [_MD.sub("", ln).rstrip() for ln in text.splitlines()]
    i = 0
    while i < len(raw):
        ln = raw[i]
        if "\t" in ln:
            rows = []
            while i < len(raw) and "\t" in raw[i]:
                rows.append(raw[i].split("\t"))
                i += 1
            title = None
            if blocks and blocks[-1][0] == "para" and len(blocks[-1][1]) <= 40:
                title = blocks.pop()[1]
            kind = "kv" if all(len(r) == 2 for r in rows) else "table"
            blocks.append((kind, (title, rows)))
            continue
        ln = re.sub(r"^#+\s*|^-\s+", "", ln).strip()
        if ln:
            blocks.append(("para", ln))
        i += 1
    return blocks


class BrokerFlow(Flow):
    """First page: body in a left column beside a sidebar; later pages: full width."""

    def new_page(self):
        super().new_page()
        self.x, self.width = 50, PAGE_W - 100


def broker_pdf_from_note(path: Path, text: str) -> Path:
    blocks = note_blocks(text)
    buf = io.BytesIO()
    c = new_canvas(buf)
    head = Flow(c)
    paras = [b for b in blocks if b[0] == "para"]
    head.text(paras[0][1], size=10)  # the date line
    head.text(paras[1][1], size=18, gap=4)  # company (code)
    head.text(paras[2][1], size=14, gap=12)  # headline
    done = {id(paras[0]), id(paras[1]), id(paras[2])}
    side = Flow(c, x=400, width=145, top=head.y, decorate=False)
    main = BrokerFlow(c, x=50, width=330, top=head.y, decorate=False)
    for block in blocks:
        kind, content = block
        if id(block) in done:
            continue
        if kind == "kv":
            title, rows = content
            side.text(title or "基本数据", size=9)
            side.kv([(k, v) for k, v in rows], size=7)
        elif kind == "table":
            title, rows = content
            ncols = max(len(r) for r in rows)
            rows = [r + [""] * (ncols - len(r)) for r in rows]
            main.table(title, None, rows, size=7, label_w=min(150, main.width * 0.4))
        else:
            main.text(content, size=9.5)
    return save(c, buf, path)


def filing_pdf(path: Path) -> Path:
    """A quarterly-report style filing: cover block, then a ruled 主要会计数据 table whose narrow cells wrap
    labels over two lines and numbers over two lines ('1,234,567,890.' + '12')."""
    buf = io.BytesIO()
    c = new_canvas(buf)
    f = Flow(c, header="示例股份有限公司2024年年度报告全文", footer="")
    f.text("证券代码：600001    证券简称：示例股份    公告编号：2025-012", size=9)
    f.text("示例股份有限公司2024年年度报告", size=18, gap=20)
    f.text("三、信息披露及备置地点", size=11)
    f.text("公司披露年度报告的媒体名称为上海证券报。", size=9)
    f.text("六、主要会计数据和财务指标", size=12)
    size, x0, widths = 9, 50, [110, 80, 80, 80, 80]
    xs = [x0 + sum(widths[:i]) for i in range(len(widths) + 1)]
    rows = [
        (["", "2024年", "2023年", "本年比上年增减", "2022年"], 1),
        (["营业收入（元）", "1,234,567,890.12", "1,100,000,000.00", "12.23%", "980,000,000.00"], 2),
        (["归属于上市公司股东的净利润（元）", "234,567,890.55", "200,000,000.00", "17.28%", "150,000,000.00"], 2),
        (["基本每股收益（元/股）", "0.52", "0.45", "15.56%", "0.33"], 1),
    ]
    y = f.y - 6
    c.setLineWidth(0.5)
    c.line(xs[0], y, xs[-1], y)
    for cells, nlines in rows:
        h = nlines * size * 1.3 + 6
        for i, cell in enumerate(cells):
            width = widths[i] - 6
            pieces = wrap(cell, width, size) if i == 0 else [cell[:12], cell[12:]] if nlines == 2 else [cell]
            pieces = [p for p in pieces if p]
            top = y - 3 - (h - 6 - len(pieces) * size * 1.3) / 2  # vertically centred in the cell
            for k, piece in enumerate(pieces):
                c.setFont(FONT, size)
                if i == 0:
                    c.drawString(xs[i] + 3, top - size - k * size * 1.3, piece)
                else:
                    c.drawRightString(xs[i + 1] - 3, top - size - k * size * 1.3, piece)
        y -= h
        c.line(xs[0], y, xs[-1], y)
    return save(c, buf, path)
