"""Reading and checking roster files in the national student-status export layout.

Pure: bytes in, checked rows or row-level errors out; no database, no clock (``today`` is
passed). The service in ``services.roster_import`` writes the result in one transaction.

Schools export rosters from the national student-status system (全国中小学生学籍信息管理
系统) as XLSX or as CSV, the latter often in GBK; both are read here.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from qingfu.core import sheets
from qingfu.schools.naming import GRADE_NAMES

COLUMNS = (
    "姓名",
    "性别",
    "出生日期",
    "全国学籍号",
    "年级",
    "班级",
    "监护人姓名",
    "监护人关系",
    "监护人电话",
)
SECOND_GUARDIAN = ("监护人2姓名", "监护人2关系", "监护人2电话")
EXPORT_COLUMNS = COLUMNS + SECOND_GUARDIAN

HEADER_ALIASES = {
    "学生姓名": "姓名",
    "学籍号": "全国学籍号",
    "全国学籍号码": "全国学籍号",
    "出生年月日": "出生日期",
    "班级名称": "班级",
    "家长姓名": "监护人姓名",
    "监护人1姓名": "监护人姓名",
    "监护人1关系": "监护人关系",
    "监护人1电话": "监护人电话",
    "联系电话": "监护人电话",
    "监护人联系电话": "监护人电话",
}

RELATIONSHIPS = ("父亲", "母亲", "祖父", "祖母", "外祖父", "外祖母", "其他")
RELATIONSHIP_ALIASES = {
    "爸爸": "父亲",
    "父": "父亲",
    "妈妈": "母亲",
    "母": "母亲",
    "爷爷": "祖父",
    "奶奶": "祖母",
    "外公": "外祖父",
    "姥爷": "外祖父",
    "外婆": "外祖母",
    "姥姥": "外祖母",
}

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_JUNIOR = {"初一": 7, "初二": 8, "初三": 9}
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_NATIONAL_ID = re.compile(r"^[GLJ]\d{17}[\dX]$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


class RosterFileError(ValueError):
    """The file as a whole cannot be read (type, size, encoding, header)."""


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's own row number; the header is row 1
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        shown = f"“{self.value}”" if self.value else "（空）"
        return f"第 {self.row} 行，{self.column}：{shown} {self.message}"


@dataclass(frozen=True)
class GuardianEntry:
    name: str
    relationship: str
    phone: str


@dataclass(frozen=True)
class RosterRow:
    row: int
    name: str
    gender: str  # "M" or "F"
    birth_date: dt.date
    national_id: str
    grade: int
    class_number: int
    guardians: tuple[GuardianEntry, ...]


@dataclass
class RosterCheck:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors


# --- reading -------------------------------------------------------------------------


def read_table(filename: str, data: bytes, *, max_bytes: int, max_rows: int) -> list[list[str]]:
    """Return the rows of an XLSX or CSV file as strings, header first.

    The bounded readers of ``qingfu.core.sheets`` refuse a file over ``max_bytes``, with
    more than ``max_rows`` data rows, too many columns or cells, or a zip bomb before
    reading it all, so an oversized upload costs little.
    """
    if not data:
        raise RosterFileError("文件为空。")
    limits = sheets.ReadLimits(max_bytes=max_bytes, max_rows=max_rows + 1)
    name = filename.lower()
    try:
        if len(data) > max_bytes:
            raise sheets.TooLarge("bytes", max_bytes, len(data))
        if data[:4] == b"PK\x03\x04":
            rows = [[_cell(v) for v in values] for values in sheets.xlsx_rows(data, limits)]
        elif data[:4] == b"\xd0\xcf\x11\xe0":
            raise RosterFileError(
                "不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 .csv 后再导入。"
            )
        elif name.endswith((".csv", ".txt")):
            rows = [[v.strip() for v in values] for values in sheets.csv_rows(data, limits)]
        else:
            raise RosterFileError("无法识别的文件类型，请上传 .xlsx 或 .csv 文件。")
    except sheets.TooLarge as exc:
        raise RosterFileError(_too_large(exc, max_rows)) from exc
    except sheets.Unreadable as exc:
        raise RosterFileError(_unreadable(exc)) from exc
    # Drop fully empty rows at the end (Excel often keeps formatted blank rows).
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        raise RosterFileError("文件中没有数据。")
    return rows


def _too_large(exc: sheets.TooLarge, max_rows: int) -> str:
    mib = sheets.MIB
    if exc.what == "bytes":
        return f"文件大小 {exc.found / mib:.1f} MB，超过上限 {exc.limit // mib} MB。"
    if exc.what == "rows":
        return f"文件数据超过 {max_rows} 行的上限，请按年级拆分后分批导入。"
    if exc.what == "columns":
        return f"文件有 {exc.found} 列，超过 {exc.limit} 列的上限，请只保留名册的各列。"
    if exc.what in ("cells", "strings"):
        return f"文件超过 {exc.limit} 个单元格的上限，请按年级拆分后分批导入。"
    if exc.what == "unpacked":
        return (
            f"文件解压后共 {exc.found / mib:.0f} MB，超过上限 {exc.limit // mib} MB，"
            "请删去多余的工作表、图片或格式后再导入。"
        )
    if exc.what == "ratio":
        return (
            f"文件中的 {exc.part} 压缩比为 {exc.found}:1，超过 {exc.limit}:1 的上限，"
            "可能是恶意构造的压缩文件（压缩炸弹），已拒绝。"
        )
    return f"文件包含 {exc.found} 个部件，超过 {exc.limit} 个的上限。"


def _unreadable(exc: sheets.Unreadable) -> str:
    if exc.what == "encoding":
        return "无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 CSV。"
    if exc.what == "binary":
        return "文件不是文本格式的 CSV。"
    if exc.what == "csv":
        return f"CSV 格式错误：{exc.detail}"
    return "Excel 文件已损坏或不是有效的 .xlsx 文件。"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- checking ------------------------------------------------------------------------


def _header_map(header: Sequence[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, raw in enumerate(header):
        name = re.sub(r"\s+", "", raw.replace("*", ""))
        name = HEADER_ALIASES.get(name, name)
        if name in EXPORT_COLUMNS and name not in positions:
            positions[name] = index
    missing = [c for c in COLUMNS if c not in positions]
    if missing:
        raise RosterFileError(
            "表头缺少以下列：" + "、".join(missing) + "。第一行应为：" + "、".join(COLUMNS) + "。"
        )
    return positions


def has_control_characters(text: str) -> bool:
    """Control characters (Unicode category Cc: tab, newline, \\x01 …) have no place in a
    roster's names, numbers or phones, and some cannot be written to XLSX at all."""
    return any(unicodedata.category(c) == "Cc" for c in text)


def visible(text: str) -> str:
    """``text`` with each control character shown as its escape (\\x01), for messages."""
    return "".join(f"\\x{ord(c):02x}" if unicodedata.category(c) == "Cc" else c for c in text)


def parse_grade(raw: str) -> int | None:
    text = raw.strip().replace(" ", "")
    if text in _JUNIOR:
        return _JUNIOR[text]
    match = re.fullmatch(r"(\d)(年级)?", text)
    if match:
        return int(match.group(1))
    match = re.fullmatch(r"([一二三四五六七八九])年级", text)
    if match:
        return _CN_DIGITS[match.group(1)]
    return None


def parse_class_number(raw: str) -> int | None:
    text = raw.strip().replace(" ", "").replace("（", "(").replace("）", ")")
    match = re.fullmatch(r"(?:.*年级|初[一二三])?\(?(\d{1,2})\)?班?", text)
    if match:
        number = int(match.group(1))
        return number if 1 <= number <= 40 else None
    return None


def parse_date(raw: str) -> dt.date | None:
    text = raw.strip()
    for pattern in (r"(\d{4})-(\d{1,2})-(\d{1,2})", r"(\d{4})/(\d{1,2})/(\d{1,2})",
                    r"(\d{4})\.(\d{1,2})\.(\d{1,2})", r"(\d{4})年(\d{1,2})月(\d{1,2})日?",
                    r"(\d{4})(\d{2})(\d{2})"):  # fmt: skip
        match = re.fullmatch(pattern, text)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
    return None


def normalize_phone(raw: str) -> str:
    digits = re.sub(r"[\s\-()（）]", "", raw)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def id_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def national_id_problem(national_id: str, birth_date: dt.date | None) -> str | None:
    """Why a 全国学籍号 is invalid, or None.

    "G" numbers are G + the 18-character resident ID, so their check digit and embedded
    birth date can be verified; "L"/"J" numbers are temporary and only checked for shape.
    """
    if not _NATIONAL_ID.match(national_id):
        return "格式不正确：应为字母 G/L/J 加 18 位数字（最后一位可为 X）"
    if national_id[0] != "G":
        return None
    body = national_id[1:]
    if id_check_digit(body[:17]) != body[17]:
        return "校验位不正确，请核对学籍号"
    try:
        embedded = dt.date(int(body[6:10]), int(body[10:12]), int(body[12:14]))
    except ValueError:
        return "学籍号中的出生日期无效"
    if birth_date is not None and embedded != birth_date:
        return f"学籍号中的出生日期（{embedded.isoformat()}）与“出生日期”列不一致"
    return None


def check_rows(
    table: Sequence[Sequence[str]], *, allowed_grades: Sequence[int], today: dt.date
) -> RosterCheck:
    """Check every data row; collect every problem rather than stopping at the first."""
    positions = _header_map(table[0])
    result = RosterCheck()
    first_seen: dict[str, int] = {}
    phone_names: dict[str, tuple[str, int]] = {}

    def value(values: Sequence[str], column: str) -> str:
        index = positions.get(column)
        if index is None or index >= len(values):
            return ""
        return values[index].strip()

    for offset, values in enumerate(table[1:]):
        row_no = offset + 2
        if not any(v.strip() for v in values):
            continue
        errors: list[RowError] = []
        # A column holding a control character gets that error alone: the others would
        # only repeat that the value is wrong.
        tainted: set[str] = set()

        def bad(
            column: str,
            raw: str,
            message: str,
            _errors: list[RowError] = errors,
            _row: int = row_no,
            _tainted: set[str] = tainted,
        ) -> None:
            if column not in _tainted:
                _errors.append(RowError(_row, column, raw, message))

        for column in positions:
            raw = value(values, column)
            if has_control_characters(raw):
                bad(column, visible(raw), "含有不可见的控制字符，请在表格中删除后再导入")
                tainted.add(column)

        name = value(values, "姓名")
        if not name:
            bad("姓名", name, "不能为空")
        elif len(name) > 50:
            bad("姓名", name[:20] + "…", "过长（最多 50 个字）")

        gender_raw = value(values, "性别")
        gender = {"男": "M", "女": "F", "男性": "M", "女性": "F"}.get(gender_raw)
        if gender is None:
            bad("性别", gender_raw, "应为“男”或“女”")

        birth_raw = value(values, "出生日期")
        birth = parse_date(birth_raw)
        if birth is None:
            bad("出生日期", birth_raw, "不是有效日期，格式如 2016-09-01")
        elif not (3 <= (today - birth).days / 365.25 <= 20):
            bad("出生日期", birth_raw, "与义务教育阶段学生年龄不符")
            birth = None

        national_id = value(values, "全国学籍号").upper()
        problem = national_id_problem(national_id, birth)
        if problem:
            bad("全国学籍号", national_id, problem)
        elif national_id in first_seen:
            bad("全国学籍号", national_id, f"与第 {first_seen[national_id]} 行重复")
        else:
            first_seen[national_id] = row_no

        grade_raw = value(values, "年级")
        grade = parse_grade(grade_raw)
        if grade is None:
            bad("年级", grade_raw, "无法识别，应为“三年级”或“3”")
        elif grade not in allowed_grades:
            bad("年级", grade_raw, "不在本校学段的年级范围内")

        class_raw = value(values, "班级")
        class_number = parse_class_number(class_raw)
        if class_number is None:
            bad("班级", class_raw, "无法识别，应为“2”或“(2)班”")

        guardians: list[GuardianEntry] = []
        # A guardian is optional (the home page lists students without one), but a
        # guardian given in part is an error.
        for prefix in ("监护人", "监护人2"):
            g_name = value(values, f"{prefix}姓名")
            g_rel_raw = value(values, f"{prefix}关系")
            g_phone_raw = value(values, f"{prefix}电话")
            if not (g_name or g_rel_raw or g_phone_raw):
                continue
            if not g_name:
                bad(f"{prefix}姓名", g_name, "不能为空")
            relationship = RELATIONSHIP_ALIASES.get(g_rel_raw, g_rel_raw)
            if relationship not in RELATIONSHIPS:
                bad(f"{prefix}关系", g_rel_raw, "应为" + "、".join(RELATIONSHIPS) + "之一")
            phone = normalize_phone(g_phone_raw)
            if not _MOBILE.match(phone):
                bad(f"{prefix}电话", g_phone_raw, "不是有效的 11 位手机号码")
            elif g_name:
                seen = phone_names.get(phone)
                if seen and seen[0] != g_name:
                    bad(
                        f"{prefix}电话",
                        g_phone_raw,
                        f"第 {seen[1]} 行的监护人“{seen[0]}”使用同一号码，同一号码只能对应一位监护人",
                    )
                else:
                    phone_names.setdefault(phone, (g_name, row_no))
            guardians.append(GuardianEntry(g_name, relationship, phone))

        if errors:
            result.errors.extend(errors)
            continue
        assert gender is not None and birth is not None
        assert grade is not None and class_number is not None
        result.rows.append(
            RosterRow(
                row=row_no,
                name=name,
                gender=gender,
                birth_date=birth,
                national_id=national_id,
                grade=grade,
                class_number=class_number,
                guardians=tuple(guardians),
            )
        )
    if not result.rows and not result.errors:
        raise RosterFileError("文件只有表头，没有学生数据。")
    return result


def export_rows(rows: Sequence[RosterRow]) -> Iterator[list[str]]:
    """Rows in the export layout (the import layout plus a second guardian)."""
    yield list(EXPORT_COLUMNS)
    for r in rows:
        cells = [
            r.name,
            "男" if r.gender == "M" else "女",
            r.birth_date.isoformat(),
            r.national_id,
            GRADE_NAMES[r.grade],
            f"{r.class_number}班",
        ]
        for g in (*r.guardians[:2], None):
            if g is not None:
                cells += [g.name, g.relationship, g.phone]
        cells += [""] * (len(EXPORT_COLUMNS) - len(cells))
        yield cells[: len(EXPORT_COLUMNS)]
