"""Spreadsheets and CSV files that cannot attack the people who open them.

Pure: no Django, no clock. Every XLSX and CSV the product writes is built with the writer
here; a test fails when another module imports openpyxl's ``Workbook`` or writes CSV.

Writing (the threats and the tests that prove the defence are in docs/security.md):

* **Text stays text.** A stored name such as ``=HYPERLINK("http://…","点此")`` would come
  back from openpyxl as a live formula, and a CSV field starting with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return is run as one by Excel and LibreOffice (OWASP, "CSV
  injection"). In XLSX every ``str`` is written as a string cell (``t="inlineStr"``), and
  one with a risky first character also gets Excel's quote prefix, so editing the cell
  keeps it text; in CSV such a field is prefixed with an apostrophe and quoted. Numbers,
  dates and booleans stay what they are (a negative int is a number); the product's own
  totals are :class:`Formula` values, the only way to write a formula.
* **What XML cannot hold is replaced.** Characters XML 1.0 forbids (``\\x00``-``\\x08``,
  ``\\x0b``, ``\\x0c``, ``\\x0e``-``\\x1f``, U+FFFE, U+FFFF) make openpyxl raise; they are
  replaced with U+FFFD so old data never makes an export fail, and the reader sees where.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

RISKY_FIRST = ("=", "+", "-", "@", "\t", "\r")
REPLACEMENT = "\ufffd"
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Formula(str):
    """A formula the product writes itself (``=SUM(C3:C9)``); never built from stored data."""

    __slots__ = ()


def clean_text(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot hold replaced by U+FFFD."""
    return _XML_ILLEGAL.sub(REPLACEMENT, text)


def is_risky(text: str) -> bool:
    """Would a spreadsheet program read ``text`` as a formula if it were typed in?"""
    return text.startswith(RISKY_FIRST)


# --- writing XLSX --------------------------------------------------------------------


def new_workbook() -> Workbook:
    """An empty workbook (one sheet) to fill with :func:`append_row`."""
    from openpyxl import Workbook

    return Workbook()


def workbook_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_cell(sheet: Worksheet, value: object) -> Cell:
    """A cell of ``sheet`` holding ``value``, text as text (see the module docstring)."""
    from openpyxl.cell.cell import Cell

    # Placed at (1, 1) until append_row puts it in its row.
    if isinstance(value, Formula):
        return Cell(sheet, 1, 1, value=str(value))
    if value is None or isinstance(
        value, bool | int | float | Decimal | dt.date | dt.time | dt.timedelta
    ):
        return Cell(sheet, 1, 1, value=value)
    text = str(value)
    cell = Cell(sheet, 1, 1, value=clean_text(text))
    # openpyxl makes a str starting with "=" a formula; the cell's type says it is text.
    cell.data_type = "s"
    if is_risky(text):
        cell.quotePrefix = True
    return cell


def append_row(sheet: Worksheet, values: Iterable[object]) -> tuple[Cell, ...]:
    """Append one row of ``values`` to ``sheet`` and return its cells (for styling)."""
    cells = tuple(sheet_cell(sheet, v) for v in values)
    sheet.append(cells)
    return cells


# --- writing CSV ---------------------------------------------------------------------


def csv_field(value: object) -> str | int | float:
    """``value`` as a CSV field: numbers stay numbers, risky text gets an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    text = clean_text(str(value))
    return "'" + text if is_risky(text) else text


def csv_bytes(rows: Iterable[Sequence[object]]) -> bytes:
    """``rows`` as CSV in UTF-8 with a byte-order mark (so Excel reads the Chinese).

    Every text field is quoted (OWASP's advice), numbers are not, so a spreadsheet still
    reads them as numbers.
    """
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_field(v) for v in row])
    return out.getvalue().encode("utf-8-sig")
