"""Hostile spreadsheets, built fast: a million cells or a zip bomb in well under a second.

Used by the tests of qingfu.core.sheets and the roster import, and by bench_sheets. The
sheet XML is written straight into the archive (openpyxl would take far longer).
"""

from __future__ import annotations

import io
import zipfile

from openpyxl.utils import get_column_letter

MIB = 1024 * 1024

_PACKAGE = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>"
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def xlsx_of(rows: int, columns: int, *, dimension: bool = True) -> bytes:
    """A real XLSX of ``rows`` × ``columns`` number cells, its sheet XML written directly
    (50,000 × 20 in about a second, where openpyxl takes far longer)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in _PACKAGE.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main">'
            )
            if dimension:
                last = get_column_letter(columns)
                sheet.write(f'<dimension ref="A1:{last}{rows}"/>'.encode())
            sheet.write(b"<sheetData>")
            batch = []
            for r in range(1, rows + 1):
                # Distinct numbers: a real sheet does not compress like a repeated cell.
                cells = b"".join(b"<c><v>%d</v></c>" % (r * columns + c) for c in range(columns))
                batch.append(b'<row r="%d">%s</row>' % (r, cells))
                if len(batch) == 5000:
                    sheet.write(b"".join(batch))
                    batch = []
            sheet.write(b"".join(batch) + b"</sheetData></worksheet>")
    return out.getvalue()


def zip_bomb(inflated: int) -> bytes:
    """An XLSX-looking archive whose sheet inflates to ``inflated`` bytes of spaces."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in _PACKAGE.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b" " * MIB
            for _ in range(inflated // MIB):
                sheet.write(chunk)
    return out.getvalue()
