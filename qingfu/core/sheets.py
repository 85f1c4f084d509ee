"""Spreadsheets and CSV files that cannot attack the people who open them.

Pure: no Django, no clock. Every XLSX and CSV the product writes is built with the writer
here, and every one it reads goes through the bounded readers; a test fails when another
module imports openpyxl's ``Workbook``/``load_workbook`` or the ``csv`` module.

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

Reading checks the cheap facts before doing the expensive work: the file's size, the
archive's declared unpacked size and compression ratio (a zip bomb is refused before a
byte is inflated), the sheet's declared dimension, then a streaming count of the rows,
cells and shared strings in the inflated XML that stops at the first limit crossed; only
a file within every limit is handed to openpyxl (read-only, stopping at the row limit).
Refusals are :class:`TooLarge` or :class:`Unreadable` with the limit and what was found;
the caller words the message.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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


# --- reading -------------------------------------------------------------------------

MIB = 1024 * 1024
# Members smaller than this are inflated whatever their ratio: they cannot do harm.
_RATIO_GRACE = MIB
_CHUNK = MIB
_MAX_MEMBERS = 1000
# Element starts in the package's XML, with or without a namespace prefix (x:c).
_ELEMENT = re.compile(rb"<(?:\w+:)?(c|row|si)[\s/>]")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Za-z]*\d*:?([A-Za-z]{1,3})(\d+)\"")


@dataclass(frozen=True)
class ReadLimits:
    """What a file may hold. ``max_rows`` counts every row, the header included.

    ``max_ratio`` follows Apache POI's ZipSecureFile (a member may inflate to at most 100
    times its compressed size).
    """

    max_bytes: int
    max_rows: int
    max_columns: int = 64
    max_cells: int = 500_000
    max_unpacked_bytes: int = 64 * MIB
    max_ratio: int = 100


class SheetRefused(Exception):
    """A file the readers will not read; the subclasses say why."""


class TooLarge(SheetRefused):
    """``what`` (bytes, unpacked, ratio, members, rows, columns, cells, strings) is over
    ``limit``; ``found`` is what was counted (for counts stopped at the limit, a lower bound).
    """

    def __init__(self, what: str, limit: int, found: int, part: str = "") -> None:
        self.what, self.limit, self.found, self.part = what, limit, found, part
        super().__init__(f"{what}: {found} over the limit of {limit} {part}".strip())


class Unreadable(SheetRefused):
    """The file is not what it claims: ``what`` is xlsx, encoding, binary or csv."""

    def __init__(self, what: str, detail: str = "") -> None:
        self.what, self.detail = what, detail
        super().__init__(f"{what}: {detail}" if detail else what)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def _check_bytes(data: bytes, limits: ReadLimits) -> None:
    if len(data) > limits.max_bytes:
        raise TooLarge("bytes", limits.max_bytes, len(data))


def _check_dimension(head: bytes, limits: ReadLimits, part: str) -> None:
    match = _DIMENSION.search(head)
    if match is None:
        return
    columns, rows = _column_number(match.group(1)), int(match.group(2))
    if rows > limits.max_rows:
        raise TooLarge("rows", limits.max_rows, rows, part)
    if columns > limits.max_columns:
        raise TooLarge("columns", limits.max_columns, columns, part)
    if rows * columns > limits.max_cells:
        raise TooLarge("cells", limits.max_cells, rows * columns, part)


def _check_package(archive: zipfile.ZipFile, limits: ReadLimits) -> None:
    """Refuse an archive over its limits from the central directory, then by counting.

    The sizes come from the archive's directory, and zipfile never inflates a member
    beyond its declared size, so the counting below reads at most what was declared.
    """
    members = archive.infolist()
    if len(members) > _MAX_MEMBERS:
        raise TooLarge("members", _MAX_MEMBERS, len(members))
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.max_unpacked_bytes:
        raise TooLarge("unpacked", limits.max_unpacked_bytes, unpacked)
    for member in members:
        if member.file_size > _RATIO_GRACE:
            ratio = member.file_size // max(member.compress_size, 1)
            if ratio > limits.max_ratio:
                raise TooLarge("ratio", limits.max_ratio, ratio, member.filename)
    cells = strings = 0
    for member in members:
        rows = 0
        with archive.open(member) as stream:
            tail, first = b"", True
            while chunk := stream.read(_CHUNK):
                buffer = tail + chunk
                if first:
                    _check_dimension(buffer[:4096], limits, member.filename)
                    first = False
                # Count up to the last "<": an element start cut by the chunk's end is
                # counted with the next chunk, and none is counted twice.
                cut = buffer.rfind(b"<")
                done, tail = (buffer, b"") if cut < 0 else (buffer[:cut], buffer[cut:])
                found = _ELEMENT.findall(done)
                if not found:
                    continue
                cells += found.count(b"c")
                rows += found.count(b"row")
                strings += found.count(b"si")
                if rows > limits.max_rows:
                    raise TooLarge("rows", limits.max_rows, rows, member.filename)
                if cells > limits.max_cells:
                    raise TooLarge("cells", limits.max_cells, cells, member.filename)
                if strings > limits.max_cells:
                    raise TooLarge("strings", limits.max_cells, strings, member.filename)


# RuntimeError: an encrypted member; NotImplementedError (one): an unknown compression.
_BROKEN = (
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    ValueError,
    OSError,
    EOFError,
    SyntaxError,
    RuntimeError,
)


def xlsx_rows(data: bytes, limits: ReadLimits) -> list[list[object]]:
    """The first worksheet's rows as openpyxl values (padded to the sheet's width)."""
    from openpyxl import load_workbook

    _check_bytes(data, limits)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_package(archive, limits)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _BROKEN as exc:
        raise Unreadable("xlsx", str(exc)) from exc
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[object]] = []
        # One row past the limit tells a file at the limit from one over it.
        for values in sheet.iter_rows(max_row=limits.max_rows + 1, values_only=True):
            if len(rows) == limits.max_rows:
                raise TooLarge("rows", limits.max_rows, len(rows) + 1)
            if len(values) > limits.max_columns:
                raise TooLarge("columns", limits.max_columns, len(values))
            rows.append(list(values))
        return rows
    except _BROKEN as exc:
        raise Unreadable("xlsx", str(exc)) from exc
    finally:
        workbook.close()


def csv_rows(
    data: bytes, limits: ReadLimits, *, encodings: Sequence[str] = ("utf-8-sig", "gb18030")
) -> list[list[str]]:
    """The rows of a CSV file in the first of ``encodings`` that decodes it."""
    _check_bytes(data, limits)
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise Unreadable("encoding")
    if "\x00" in text:
        raise Unreadable("binary")
    rows: list[list[str]] = []
    cells = 0
    try:
        for values in csv.reader(io.StringIO(text)):
            if len(rows) == limits.max_rows:
                raise TooLarge("rows", limits.max_rows, len(rows) + 1)
            if len(values) > limits.max_columns:
                raise TooLarge("columns", limits.max_columns, len(values))
            cells += len(values)
            if cells > limits.max_cells:
                raise TooLarge("cells", limits.max_cells, cells)
            rows.append(values)
    except csv.Error as exc:
        raise Unreadable("csv", str(exc)) from exc
    return rows
