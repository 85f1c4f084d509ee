"""Roster files: reading, row-level errors, all-or-nothing import, idempotent re-import,
export that round-trips, and hostile uploads."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from bench.hostile_files import xlsx_of, zip_bomb
from qingfu.conftest import World
from qingfu.core.actor import Actor
from qingfu.core.errors import ValidationFailed
from qingfu.core.models import AuditEntry
from qingfu.schools import roster
from qingfu.schools.actors import actor_for
from qingfu.schools.models import Guardian, GuardianLink, SchoolClass, Student
from qingfu.schools.services import RosterInvalid, roster_export_xlsx, roster_import

SAMPLES = Path(__file__).resolve().parents[3] / "docs" / "samples"
TODAY = dt.date(2026, 11, 23)
LIMITS = {"max_bytes": 10 * 1024 * 1024, "max_rows": 20_000}


def _admin(world: World) -> Actor:
    return actor_for(world.users["admin_a"])


def _import(world: World, name: str, data: bytes | None = None) -> object:
    payload = data if data is not None else (SAMPLES / name).read_bytes()
    return roster_import(
        actor=_admin(world), school_id=world.a.pk, filename=name, data=payload, today=TODAY
    )


def _snapshot() -> tuple[int, int, int, int]:
    return (
        Student.objects.count(),
        Guardian.objects.count(),
        GuardianLink.objects.count(),
        SchoolClass.objects.count(),
    )


# --- pure parsing --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "grade"),
    [
        ("三年级", 3),
        ("3", 3),
        ("3年级", 3),
        ("初一", 7),
        ("九年级", 9),
        ("十年级", None),
        ("", None),
    ],
)
def test_parse_grade(raw: str, grade: int | None) -> None:
    assert roster.parse_grade(raw) == grade


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("2", 2),
        ("2班", 2),
        ("(2)班", 2),
        ("（2）班", 2),
        ("三年级(2)班", 2),
        ("二", None),
        ("0", None),
    ],
)
def test_parse_class_number(raw: str, number: int | None) -> None:
    assert roster.parse_class_number(raw) == number


@pytest.mark.parametrize(
    "raw", ["2016-03-05", "2016/3/5", "20160305", "2016.03.05", "2016年3月5日"]
)
def test_parse_date_formats(raw: str) -> None:
    assert roster.parse_date(raw) == dt.date(2016, 3, 5)


def test_national_id_checks_digit_and_birth_date() -> None:
    good = "G330198202003020027"
    assert roster.national_id_problem(good, dt.date(2020, 3, 2)) is None
    assert "校验位" in (roster.national_id_problem(good[:-1] + "8", None) or "")
    assert "不一致" in (roster.national_id_problem(good, dt.date(2020, 3, 3)) or "")
    assert "格式" in (roster.national_id_problem("123", None) or "")
    assert roster.national_id_problem("L202003021234567890", None) is None


def test_bad_sample_reports_row_column_and_reason() -> None:
    table = roster.read_table(
        "bad.xlsx", (SAMPLES / "roster_sample_bad.xlsx").read_bytes(), **LIMITS
    )
    check = roster.check_rows(table, allowed_grades=range(1, 10), today=TODAY)
    assert [(e.row, e.column) for e in check.errors] == [(17, "监护人电话")]
    assert str(check.errors[0]).startswith("第 17 行，监护人电话：“1381234567”")
    assert "11 位手机号码" in check.errors[0].message


def test_every_problem_of_a_row_is_reported() -> None:
    table = [
        list(roster.COLUMNS),
        ["", "未知", "2016-02-30", "G123", "十年级", "x", "", "邻居", "12345"],
    ]
    check = roster.check_rows(table, allowed_grades=range(1, 10), today=TODAY)
    assert {e.column for e in check.errors} == set(roster.COLUMNS)
    assert all(e.row == 2 for e in check.errors)


def test_duplicates_and_phone_conflicts_within_a_file() -> None:
    rows = roster.read_table("s.csv", (SAMPLES / "roster_sample.csv").read_bytes(), **LIMITS)
    first = rows[1]
    dup = list(first)
    conflict = list(rows[2])
    conflict[8] = first[8]  # same phone, another guardian's name
    check = roster.check_rows(
        [rows[0], first, dup, conflict], allowed_grades=range(1, 10), today=TODAY
    )
    messages = [str(e) for e in check.errors]
    assert any("与第 2 行重复" in m for m in messages)
    assert any("同一号码只能对应一位监护人" in m for m in messages)


def test_missing_columns_are_named() -> None:
    with pytest.raises(roster.RosterFileError, match="监护人电话"):
        roster.check_rows([list(roster.COLUMNS[:-1])], allowed_grades=[3], today=TODAY)


def test_grade_outside_school_stage() -> None:
    rows = roster.read_table("s.csv", (SAMPLES / "roster_sample.csv").read_bytes(), **LIMITS)
    check = roster.check_rows(rows, allowed_grades=range(7, 10), today=TODAY)
    assert len(check.errors) == len(rows) - 1
    assert all(e.column == "年级" and "学段" in e.message for e in check.errors)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.pdf", b"%PDF-1.7 ...", "无法识别的文件类型"),
        ("a.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "旧版 Excel"),
        ("a.xlsx", b"PK\x03\x04broken", "已损坏"),
        ("a.csv", b"", "文件为空"),
        ("a.csv", "\ufeff姓名\n".encode() + b"\xff\xfe\xfa", "编码"),
    ],
)
def test_unreadable_files(name: str, data: bytes, message: str) -> None:
    with pytest.raises(roster.RosterFileError, match=message):
        roster.read_table(name, data, **LIMITS)


def test_oversized_file_refused_before_parsing() -> None:
    with pytest.raises(roster.RosterFileError, match="超过上限"):
        roster.read_table("a.csv", b"x" * 2048, max_bytes=1024, max_rows=10)


def test_hundred_thousand_rows_are_refused_quickly() -> None:
    line = "张三,男,2016-03-05,G330198201603050011,三年级,2班,张父,父亲,13800000000\n"
    data = (",".join(roster.COLUMNS) + "\n" + line * 100_000).encode()
    with pytest.raises(roster.RosterFileError, match="20000 行"):
        roster.read_table("big.csv", data, max_bytes=20 * 1024 * 1024, max_rows=20_000)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(roster.COLUMNS))
    for _ in range(20_050):
        sheet.append(line.strip().split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(roster.RosterFileError, match="20000 行"):
        roster.read_table("big.xlsx", buffer.getvalue(), **LIMITS)


# --- import into the database ----------------------------------------------------------


def test_sample_imports_everything(world: World) -> None:
    before = _snapshot()
    result = _import(world, "roster_sample.xlsx")
    assert result.rows == 42 and result.students_created == 42  # type: ignore[attr-defined]
    assert result.classes_created == 1  # type: ignore[attr-defined]
    after = _snapshot()
    assert after[0] - before[0] == 42
    new_class = SchoolClass.objects.get(school=world.a, grade__number=1, number=5)
    assert new_class.students.count() == 42
    assert AuditEntry.objects.filter(action="import", school_id=world.a.pk).count() == 1


def test_one_bad_row_imports_nothing(world: World) -> None:
    before = _snapshot()
    with pytest.raises(RosterInvalid) as caught:
        _import(world, "roster_sample_bad.xlsx")
    assert [(e.row, e.column) for e in caught.value.row_errors] == [(17, "监护人电话")]
    assert _snapshot() == before


def test_reimport_updates_and_never_duplicates(world: World) -> None:
    _import(world, "roster_sample.xlsx")
    once = _snapshot()
    again = _import(world, "roster_sample.csv")
    assert again.students_created == 0 and again.students_unchanged == 42  # type: ignore[attr-defined]
    assert _snapshot() == once
    # A changed name and a class move are updates of the same records.
    text = (SAMPLES / "roster_sample.csv").read_text("utf-8-sig").splitlines()
    cells = text[1].split(",")
    cells[0], cells[5] = "改名后", "6班"
    text[1] = ",".join(cells)
    changed = _import(world, "changed.csv", "\n".join(text).encode())
    assert changed.students_updated == 1 and changed.classes_created == 1  # type: ignore[attr-defined]
    moved = Student.objects.get(school=world.a, national_id=cells[3])
    assert moved.name == "改名后" and moved.school_class.number == 6
    assert Student.objects.count() == once[0]


def test_gbk_and_utf8_csv_import_the_same(world: World) -> None:
    _import(world, "roster_sample_gbk.csv")
    gbk = sorted(Student.objects.filter(school=world.a).values_list("national_id", "name"))
    assert any(name == "龚萱" for _, name in gbk)
    again = _import(world, "roster_sample.csv")
    assert again.students_unchanged == 42  # type: ignore[attr-defined]


def test_file_errors_change_nothing(world: World) -> None:
    before = _snapshot()
    with pytest.raises(ValidationFailed, match="旧版 Excel"):
        _import(world, "old.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 64)
    assert _snapshot() == before


def test_export_round_trips(world: World) -> None:
    _import(world, "roster_sample.xlsx")
    exported = roster_export_xlsx(actor=_admin(world), school_id=world.a.pk)
    sheet = load_workbook(io.BytesIO(exported)).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    assert header == list(roster.EXPORT_COLUMNS)
    assert sheet.max_row == Student.objects.filter(school=world.a).count() + 1
    before = _snapshot()
    result = _import(world, "export.xlsx", exported)
    assert result.students_created == 0 and result.students_updated == 0  # type: ignore[attr-defined]
    assert _snapshot() == before
    assert AuditEntry.objects.filter(action="export", school_id=world.a.pk).count() == 1


@pytest.mark.clock
def test_roster_page_shows_errors_and_imports_nothing(world: World) -> None:
    client = world.client("admin_a")
    before = _snapshot()
    with (SAMPLES / "roster_sample_bad.xlsx").open("rb") as fh:
        response = client.post(f"/schools/{world.a.pk}/roster/", {"file": fh})
    body = response.content.decode()
    assert response.status_code == 422
    assert "第 17 行" in body and "监护人电话" in body and "未导入任何数据" in body
    assert _snapshot() == before
    with (SAMPLES / "roster_sample.xlsx").open("rb") as fh:
        response = client.post(f"/schools/{world.a.pk}/roster/", {"file": fh})
    assert response.status_code == 200
    assert "导入成功" in response.content.decode()
    assert _snapshot()[0] == before[0] + 42


def test_roster_page_without_file_names_the_field(world: World) -> None:
    response = world.client("admin_a").post(f"/schools/{world.a.pk}/roster/", {})
    assert response.status_code == 422
    assert "请选择要导入的名册文件" in response.content.decode()


@pytest.mark.clock
def test_api_import_reports_rows(world: World) -> None:
    client = world.client("admin_a")
    with (SAMPLES / "roster_sample_bad.xlsx").open("rb") as fh:
        response = client.post(f"/api/v1/schools/{world.a.pk}/roster", {"file": fh})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "roster_invalid"
    assert body["row_errors"][0]["row"] == 17
    assert body["row_errors"][0]["column"] == "监护人电话"


# --- files that cannot attack their reader (issue 20) ---------------------------------

LINK = '=HYPERLINK("http://evil.example/","点此")'


def _sample_csv(names: dict[int, str]) -> bytes:
    """The sample CSV with the names of some data rows (1 = the first) replaced."""
    rows = list(csv.reader(io.StringIO((SAMPLES / "roster_sample.csv").read_text("utf-8-sig"))))
    for index, name in names.items():
        rows[index][0] = name
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def _names_in(data: bytes) -> dict[str, object]:
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return {c.value: c for c in sheet["A"]}  # type: ignore[misc]


@pytest.mark.clock
def test_a_formula_name_is_stored_as_written_and_exported_as_text(world: World) -> None:
    client = world.client("admin_a")
    upload = SimpleUploadedFile("roster.csv", _sample_csv({1: LINK, 2: "-1+2"}))
    response = client.post(f"/schools/{world.a.pk}/roster/", {"file": upload})
    assert response.status_code == 200
    assert Student.objects.filter(school=world.a, name=LINK).exists()
    for url in (f"/schools/{world.a.pk}/roster.xlsx", f"/api/v1/schools/{world.a.pk}/roster.xlsx"):
        response = client.get(url)
        assert response.status_code == 200
        names = _names_in(response.content)
        for name in (LINK, "-1+2"):
            cell = names[name]
            assert cell.data_type == "s" and cell.quotePrefix  # type: ignore[attr-defined]


@pytest.mark.clock
def test_a_control_character_is_refused_with_its_row_and_column(world: World) -> None:
    before = _snapshot()
    with pytest.raises(RosterInvalid) as caught:
        _import(world, "roster.csv", _sample_csv({3: "张\x01三"}))
    assert [(e.row, e.column) for e in caught.value.row_errors] == [(4, "姓名")]
    assert (
        str(caught.value.row_errors[0])
        == "第 4 行，姓名：“张\\x01三” 含有不可见的控制字符，请在表格中删除后再导入"
    )
    assert _snapshot() == before
    upload = SimpleUploadedFile("roster.csv", _sample_csv({5: "李四\x07"}))
    response = world.client("admin_a").post(f"/schools/{world.a.pk}/roster/", {"file": upload})
    body = response.content.decode()
    assert response.status_code == 422 and "第 6 行" in body and "控制字符" in body
    assert _snapshot() == before


@pytest.mark.clock
def test_an_already_stored_control_character_does_not_break_the_export(world: World) -> None:
    Student.objects.filter(pk=world.s1.pk).update(name="张\x01小一")
    response = world.client("admin_a").get(f"/schools/{world.a.pk}/roster.xlsx")
    assert response.status_code == 200
    assert "张\ufffd小一" in _names_in(response.content)


def test_oversized_workbooks_are_refused_with_the_limit_in_the_message() -> None:
    with pytest.raises(roster.RosterFileError, match="20000 行"):
        roster.read_table("big.xlsx", xlsx_of(50_000, 20, dimension=False), **LIMITS)
    with pytest.raises(roster.RosterFileError, match="上限 64 MB"):
        roster.read_table("bomb.xlsx", zip_bomb(100 * 1024 * 1024), **LIMITS)
    with pytest.raises(roster.RosterFileError, match="100:1 的上限"):
        roster.read_table("bomb.xlsx", zip_bomb(8 * 1024 * 1024), **LIMITS)
    with pytest.raises(roster.RosterFileError, match="500000 个单元格"):
        roster.read_table("wide.xlsx", xlsx_of(10_000, 60), **LIMITS)
