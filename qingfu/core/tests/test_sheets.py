"""The one writer of spreadsheets and CSV (qingfu.core.sheets): files opened back with
openpyxl and the csv module."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from qingfu.core import sheets

ROOT = Path(__file__).resolve().parents[2]
LINK = '=HYPERLINK("http://evil.example/","点此")'


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


def test_no_other_module_writes_spreadsheets_itself() -> None:
    """Every XLSX and CSV the product writes goes through qingfu.core.sheets."""
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or path.name == "conftest.py" or path == ROOT / "core" / "sheets.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in ("writer", "DictWriter")
                and ast.unparse(node.value) == "csv"
            ):
                offenders.append(f"{path.relative_to(ROOT)}: csv.{node.attr}")
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl"):
                names = {a.name for a in node.names}
                if names & {"Workbook", "Cell"} or node.module == "openpyxl.cell.cell":
                    offenders.append(f"{path.relative_to(ROOT)}: from {node.module} import …")
    assert offenders == []
