"""The report as a PDF (reportlab), set in the vendored CJK font, embedded and subset.

reportlab embeds TrueType-outlined fonts as subsets (only the glyphs used), so a report
stays a few hundred kilobytes even though the font covers all of GB 18030's common
characters. Chinese lines wrap between any two characters (``wordWrap="CJK"``), with
reportlab's rules keeping closing punctuation off the start of a line.
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib import textsplit as rl_textsplit
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable
from reportlab.platypus import paragraph as rl_paragraph

from qingfu.core.text import _
from qingfu.reports.charts import chart_png
from qingfu.reports.document import Chart, Document, Heading, Paragraph, Table
from qingfu.reports.fonts import FONT_PATH

FONT = "QingfuCJK"


# Chinese closing punctuation that reportlab's line breaker does not yet keep off the start
# of a line (it knows the Japanese set): hung in the margin of the line before instead.
CANNOT_START = "，；：！？”’．》〉％"


@cache
def _register() -> None:
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH)))
    # Both line breakers: textsplit's (one run of text) and paragraph's (mixed runs).
    for module in (rl_textsplit, rl_paragraph):
        missing = "".join(c for c in CANNOT_START if c not in module.ALL_CANNOT_START)
        module.ALL_CANNOT_START += missing


def _style(name: str, size: float, **kw: Any) -> ParagraphStyle:
    kw.setdefault("leading", size * 1.7)
    return ParagraphStyle(name, fontName=FONT, fontSize=size, wordWrap="CJK", **kw)


def render_pdf(doc: Document) -> bytes:
    _register()
    title = _style("title", 20, alignment=TA_CENTER, leading=30, spaceAfter=4)
    subtitle = _style("subtitle", 12, alignment=TA_CENTER, spaceAfter=14, textColor="#333333")
    h1 = _style("h1", 14, spaceBefore=10, spaceAfter=4, firstLineIndent=24, keepWithNext=1)
    h2 = _style(
        "h2", 12.5, spaceBefore=6, spaceAfter=2, firstLineIndent=24, textColor="#1d4f43",
        keepWithNext=1,
    )  # fmt: skip
    body = _style("body", 11.5, firstLineIndent=23, alignment=TA_JUSTIFY, spaceAfter=3)
    note = _style("note", 9, leading=14, spaceBefore=12, textColor="#444444")
    right = _style("right", 12, alignment=TA_RIGHT)
    caption = _style("caption", 9.5, alignment=TA_CENTER, spaceBefore=4, spaceAfter=8)
    cell = _style("cell", 8.5, leading=12)
    cell_num = _style("cell_num", 8.5, leading=12, alignment=TA_RIGHT)
    cell_head = _style("cell_head", 8.5, leading=12, alignment=TA_CENTER)

    story: list[Flowable] = [
        RLParagraph("<br/>".join(escape(line) for line in doc.printed_title), title)
    ]
    story.append(RLParagraph(escape(doc.subtitle), subtitle))
    width = A4[0] - 5 * cm
    for block in doc.blocks:
        if isinstance(block, Heading):
            story.append(RLParagraph(escape(block.text), h1 if block.level == 1 else h2))
        elif isinstance(block, Paragraph):
            story.append(RLParagraph(escape(block.text), note if block.style == "note" else body))
        elif isinstance(block, Table):
            rows = [[RLParagraph(escape(v), cell_head) for v in block.header]]
            rows += [
                [
                    RLParagraph(escape(v), cell_num if block.is_numeric(c) else cell)
                    for c, v in enumerate(row)
                ]
                for row in block.rows
            ]
            table = RLTable(rows, repeatRows=1, colWidths=_widths(block, width))
            table.setStyle(
                TableStyle(
                    [
                        ("FONTNAME", (0, 0), (-1, -1), FONT),
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#555555")),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8efec")),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                        ("TOPPADDING", (0, 0), (-1, -1), 3),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ]
                )
            )
            story.append(
                KeepTogether([RLParagraph(escape(block.caption), caption), table])
                if len(block.rows) < 12
                else RLParagraph(escape(block.caption), caption)
            )
            if len(block.rows) >= 12:
                story.append(table)
            story.append(Spacer(1, 6))
        elif isinstance(block, Chart):
            png = chart_png(block.spec)
            image = Image(io.BytesIO(png), width=width, height=width * 3.0 / 6.4)
            story.append(KeepTogether([image, RLParagraph(escape(block.caption), caption)]))
    story.append(Spacer(1, 18))
    story.extend(RLParagraph(escape(line), right) for line in doc.signature)

    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=2.5 * cm,
        bottomMargin=2.2 * cm,
        title=doc.title,
        author=_("轻负"),
        creator=_("轻负 Qingfu"),
    )

    def footer(canvas: Canvas, page: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 9)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawCentredString(A4[0] / 2, 1.2 * cm, f"— {page.page} —")
        canvas.restoreState()

    template.build(
        story,
        onFirstPage=footer,
        onLaterPages=footer,
        canvasmaker=lambda *a, **kw: Canvas(*a, **{**kw, "initialFontName": FONT}),
    )
    return buffer.getvalue()


def _widths(block: Table, width: float) -> list[float]:
    """Text columns get more room than number columns; the whole fills the text width."""
    weights = [1.0 if block.is_numeric(c) else 1.8 for c in range(len(block.header))]
    for c, head in enumerate(block.header):
        longest = max([len(head) / 2, *(len(row[c]) for row in block.rows)], default=1)
        if not block.is_numeric(c) and longest > 12:
            weights[c] = 3.2
    total = sum(weights)
    return [width * w / total for w in weights]
