"""The one writer and the bounded readers of spreadsheets and CSV (qingfu.core.sheets).

Written files are opened back with openpyxl and the csv module; hostile uploads (a million
cells, a zip bomb) are refused before they cost time. The refusal times are printed (run
with ``-s``) and kept in docs/benchmarks.md; the assertions here are loose on purpose.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bench.hostile_files import xlsx_of, zip_bomb
from qingfu.core import sheets

ROOT = Path(__file__).resolve().parents[2]
LINK = '=HYPERLINK("http://evil.example/","点此")'
LIMITS = sheets.ReadLimits(max_bytes=10 * sheets.MIB, max_rows=20_001)


# --- writing -------------------------------------------------------------------------


def _written(values: list[object]) -> list[object]:
    book = sheets.new_workbook()
    sheet = book.active
    assert sheet is not None
    sheets.append_row(sheet, values)
    back = load_workbook(io.BytesIO(sheets.workbook_bytes(book))).active
    assert back is not None
    return list(back[1])


@pytest.mark.parametrize("text", [LINK, "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=1"])
def test_risky_text_is_written_as_text_with_the_quote_prefix(text: str) -> None:
    (cell,) = _written([text])
    assert cell.data_type == "s"  # type: ignore[union-attr]
    assert cell.value == text  # type: ignore[union-attr]
    assert cell.quotePrefix  # type: ignore[union-attr]


def test_numbers_dates_and_the_products_own_formulas_keep_their_type() -> None:
    cells = _written(
        [-5, 2.5, dt.date(2026, 9, 1), "张三", None, True, sheets.Formula("=SUM(A1:B1)")]
    )
    assert [c.data_type for c in cells] == ["n", "n", "d", "s", "n", "b", "f"]  # type: ignore[union-attr]
    assert cells[0].value == -5 and cells[6].value == "=SUM(A1:B1)"  # type: ignore[union-attr]
    assert not cells[3].quotePrefix  # type: ignore[union-attr]


def test_characters_xml_cannot_hold_are_replaced_not_fatal() -> None:
    (cell,) = _written(["张\x01三\x1f\ufffe"])
    assert cell.value == "张\ufffd三\ufffd\ufffd"  # type: ignore[union-attr]
    assert sheets.clean_text("换行\n与制表\t保留") == "换行\n与制表\t保留"


def test_csv_fields_are_quoted_and_risky_ones_prefixed() -> None:
    data = sheets.csv_bytes([["姓名", "分钟"], [LINK, -5], ["-3", 2.5], ["张\x01三", None]])
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[1] == '"\'=HYPERLINK(""http://evil.example/"",""点此"")",-5'
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == ["'" + LINK, "-5"]
    assert rows[2] == ["'-3", "2.5"]
    assert rows[3] == ["张\ufffd三", ""]


def test_no_other_module_writes_or_reads_spreadsheets_itself() -> None:
    """Every XLSX and CSV goes through qingfu.core.sheets: nothing else imports the parts."""
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or path.name == "conftest.py" or path == ROOT / "core" / "sheets.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import) and any(a.name == "csv" for a in node.names):
                offenders.append(f"{path.relative_to(ROOT)}: import csv")
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl"):
                names = {a.name for a in node.names}
                if names & {"Workbook", "load_workbook", "Cell"} or node.module in (
                    "openpyxl.reader.excel",
                    "openpyxl.cell.cell",
                ):
                    offenders.append(f"{path.relative_to(ROOT)}: from {node.module} import …")
    assert offenders == []


# --- reading -------------------------------------------------------------------------


def _refusal(data: bytes, read: object = sheets.xlsx_rows) -> tuple[sheets.TooLarge, float]:
    started = time.perf_counter()
    with pytest.raises(sheets.TooLarge) as caught:
        read(data, LIMITS)  # type: ignore[operator]
    return caught.value, time.perf_counter() - started


def test_a_file_within_the_limits_is_read() -> None:
    rows = sheets.xlsx_rows(xlsx_of(3, 2), LIMITS)
    assert rows == [[2, 3], [4, 5], [6, 7]]
    assert sheets.xlsx_rows(xlsx_of(3, 2, dimension=False), LIMITS) == rows


@pytest.mark.parametrize("dimension", [True, False], ids=["declared", "undeclared"])
def test_a_million_cells_are_refused_at_once(dimension: bool) -> None:
    data = xlsx_of(50_000, 20, dimension=dimension)
    assert len(data) < LIMITS.max_bytes
    refused, seconds = _refusal(data)
    print(f"\n1,000,000-cell XLSX ({'declared' if dimension else 'no'} dimension, "
          f"{len(data) / sheets.MIB:.1f} MB): refused in {seconds * 1000:.0f} ms ({refused})")  # fmt: skip
    assert refused.what == "rows" and refused.limit == 20_001
    assert seconds < 5


def test_many_cells_in_few_rows_are_refused_by_the_count() -> None:
    data = xlsx_of(10_000, 60, dimension=False)
    refused, seconds = _refusal(data)
    assert (refused.what, refused.limit) == ("cells", LIMITS.max_cells)
    assert seconds < 5


def test_rows_past_the_limit_are_never_read() -> None:
    limits = sheets.ReadLimits(max_bytes=sheets.MIB, max_rows=10)
    assert len(sheets.xlsx_rows(xlsx_of(10, 3), limits)) == 10
    with pytest.raises(sheets.TooLarge, match="rows"):
        sheets.xlsx_rows(xlsx_of(11, 3, dimension=False), limits)


def test_a_zip_bomb_is_refused_before_it_is_inflated() -> None:
    bomb = zip_bomb(200 * sheets.MIB)
    refused, seconds = _refusal(bomb)
    print(f"\nzip bomb ({len(bomb) / 1024:.0f} KB inflating to 200 MB): "
          f"refused in {seconds * 1000:.1f} ms ({refused})")  # fmt: skip
    assert refused.what == "unpacked" and refused.found > LIMITS.max_unpacked_bytes
    assert seconds < 5
    small = zip_bomb(8 * sheets.MIB)
    refused, _seconds = _refusal(small)
    assert refused.what == "ratio" and refused.part == "xl/worksheets/sheet1.xml"
    assert refused.found > 100


def test_csv_limits() -> None:
    line = b"1,2,3,4,5,6,7,8,9,10\n"
    data = line * 100_000  # a million cells in 2 MB
    refused, seconds = _refusal(data, sheets.csv_rows)
    print(f"\n1,000,000-cell CSV: refused in {seconds * 1000:.0f} ms ({refused})")
    assert refused.what == "rows" and seconds < 5
    assert _refusal(b"x" * (LIMITS.max_bytes + 1), sheets.csv_rows)[0].what == "bytes"
    wide = (",".join(["1"] * 65) + "\n").encode()
    assert _refusal(wide, sheets.csv_rows)[0].what == "columns"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"PK\x03\x04broken", "xlsx"),
        (b"\xff\xfe\xfa\x00", "encoding"),
    ],
)
def test_broken_files_are_unreadable_not_errors(data: bytes, what: str) -> None:
    read = sheets.xlsx_rows if what == "xlsx" else sheets.csv_rows
    with pytest.raises(sheets.Unreadable) as caught:
        read(data, LIMITS)
    assert caught.value.what == what
