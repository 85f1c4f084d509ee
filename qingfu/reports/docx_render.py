"""The report as a Word document (python-docx), laid out like a school's own report: A4,
a centred title, 黑体 headings, 仿宋 body text with a two-character first-line indent,
tables with a caption above and charts with a caption below, the school and date at the
end on the right.

Fonts are named, not embedded: Word on a principal's computer has 仿宋 and 黑体, and
LibreOffice substitutes its own CJK font for them.
"""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT  # noqa: F401
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.run import Run

from qingfu.core.text import _
from qingfu.reports.charts import chart_png
from qingfu.reports.document import Chart, Document, Heading, Paragraph, Table

BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"


def _font(run: Run, name: str, size: float, *, bold: bool = False) -> None:
    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    r_pr = run._element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.append(r_fonts)
    r_fonts.set(qn("w:eastAsia"), name)


def render_docx(doc: Document) -> bytes:
    out = new_docx()
    section = out.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.5)
    section.left_margin, section.right_margin = Cm(2.6), Cm(2.6)
    normal = out.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    out.core_properties.title = doc.title
    out.core_properties.author = _("轻负")

    title = out.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for n, line in enumerate(doc.printed_title):
        run = title.add_run(line)
        _font(run, "方正小标宋简体", 20, bold=True)
        if n < len(doc.printed_title) - 1:
            run.add_break()
    subtitle = out.add_paragraph()
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(subtitle.add_run(doc.subtitle), "楷体", 14)

    for block in doc.blocks:
        if isinstance(block, Heading):
            p = out.add_paragraph()
            p.paragraph_format.space_before = Pt(6)
            p.paragraph_format.first_line_indent = Pt(28)
            p.paragraph_format.keep_with_next = True
            _font(
                p.add_run(block.text), HEADING_FONT if block.level == 1 else "楷体", 14, bold=True
            )
        elif isinstance(block, Paragraph):
            p = out.add_paragraph()
            fmt = p.paragraph_format
            fmt.line_spacing = Pt(26)
            if block.style == "note":
                fmt.space_before = Pt(12)
                _font(p.add_run(block.text), BODY_FONT, 10.5)
            else:
                fmt.first_line_indent = Pt(28)
                _font(p.add_run(block.text), BODY_FONT, 14)
        elif isinstance(block, Table):
            _table(out, block)
        elif isinstance(block, Chart):
            p = out.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run().add_picture(io.BytesIO(chart_png(block.spec)), width=Cm(15.5))
            caption = out.add_paragraph()
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(caption.add_run(block.caption), HEADING_FONT, 10.5)

    out.add_paragraph()
    for line in doc.signature:
        p = out.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _font(p.add_run(line), BODY_FONT, 14)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _table(out: object, block: Table) -> None:
    from docx.document import Document as DocxDocument

    assert isinstance(out, DocxDocument)
    caption = out.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.space_before = Pt(6)
    _font(caption.add_run(block.caption), HEADING_FONT, 10.5)
    table = out.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    # row.cells once per row: table.cell(r, c) walks the whole grid on every call.
    for r, (row, docx_row) in enumerate(zip((block.header, *block.rows), table.rows, strict=True)):
        cells = docx_row.cells
        for c, value in enumerate(row):
            p = cells[c].paragraphs[0]
            if r == 0:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif block.is_numeric(c):
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = p.add_run(value)
            _font(run, HEADING_FONT if r == 0 else BODY_FONT, 10.5)
            if r == 0:
                run.font.color.rgb = RGBColor(0x22, 0x22, 0x22)
    out.add_paragraph()
