"""Bulk import of the registry from the district's own spreadsheet (XLSX, or CSV in UTF-8 or
GBK): all rows or none.

A district keeps its institution list in a spreadsheet today; the officer uploads it once
and corrects it by uploading it again. Each row is checked by the same validation as the
registry form (``services.validate_institution``: the credit code's check character, the
category and its subcategory, the licence's dates, the lengths), plus what only a file can
get wrong (a code twice in the file, a code on another district's registry, a date or an
area that is not one). Any bad row refuses the whole file: ``RegistryInvalid`` lists each
with its row, column and message, and nothing is written.

A code already on the district's registry updates that entry (so the same file imported
twice changes nothing the second time); its status is left alone — it moves only with a
reason, through ``institution_set_status``. New entries are 在册 from the import's day.
The file is read by ``qingfu.core.sheets``' bounded readers, so an oversized file or a zip
bomb is refused before it is read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from qingfu.core import sheets
from qingfu.core.actor import Actor
from qingfu.core.audit import audit_change
from qingfu.core.errors import ValidationFailed
from qingfu.core.models import AuditEntry
from qingfu.schools.calendars import local_today
from qingfu.training import selectors, services
from qingfu.training.codes import normalized
from qingfu.training.models import Category, Institution, Subcategory
from qingfu.training.registry_layout import ALIASES, CATEGORIES, DATE, NO, SUBCATEGORIES, YES

MAX_BYTES = 5 * sheets.MIB
# A district's registry: the largest have a few thousand institutions.
MAX_ROWS = 5000

# (field, column heading): the order of the sample files and of the error messages.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", gettext_noop("机构名称")),
    ("credit_code", gettext_noop("统一社会信用代码")),
    ("licence_number", gettext_noop("办学许可证号")),
    ("licence_from", gettext_noop("许可证有效期起")),
    ("licence_to", gettext_noop("许可证有效期止")),
    ("category", gettext_noop("类别")),
    ("subcategory", gettext_noop("细类")),
    ("is_nonprofit", gettext_noop("非营利性")),
    ("address", gettext_noop("培训场所地址")),
    ("area_m2", gettext_noop("场所面积")),
)
REQUIRED = ("name", "credit_code", "category", "subcategory", "address", "area_m2")
HEADINGS = {heading: name for name, heading in COLUMNS}


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's own number: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        return _("第 %(row)d 行，%(column)s：%(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class RegistryInvalid(ValidationFailed):
    """A file with bad rows: ``row_errors`` names each by row, column and message."""

    def __init__(self, row_errors: list[RowError]) -> None:
        self.row_errors = row_errors
        super().__init__({"file": [str(e) for e in row_errors]})


@dataclass(frozen=True)
class ImportResult:
    rows: int
    created: int
    updated: int


def column_headings() -> list[str]:
    """The columns in the order of the sample files, in the active language."""
    return [_(heading) for _name, heading in COLUMNS]


def _heading(name: str) -> str:
    return _(dict(COLUMNS)[name])


def read_table(filename: str, data: bytes) -> list[list[str]]:
    """The file's rows as text, header first; ``ValidationFailed`` on ``file`` when the file
    as a whole cannot be read (type, size, encoding)."""
    if not data:
        raise ValidationFailed.single("file", _("文件为空。"))
    limits = sheets.ReadLimits(max_bytes=MAX_BYTES, max_rows=MAX_ROWS + 1, max_columns=40)
    try:
        if data[:4] == b"PK\x03\x04":
            rows = [[_text(v) for v in values] for values in sheets.xlsx_rows(data, limits)]
        elif data[:4] == b"\xd0\xcf\x11\xe0":
            raise ValidationFailed.single(
                "file", _("不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 .csv 后再导入。")
            )
        elif filename.lower().endswith((".csv", ".txt")):
            rows = [[v.strip() for v in values] for values in sheets.csv_rows(data, limits)]
        else:
            raise ValidationFailed.single(
                "file", _("无法识别的文件类型，请上传 .xlsx 或 .csv 文件。")
            )
    except sheets.TooLarge as exc:
        raise ValidationFailed.single("file", _too_large(exc)) from exc
    except sheets.Unreadable as exc:
        message = (
            _("无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 CSV。")
            if exc.what == "encoding"
            else _("文件已损坏或格式不正确，请上传 .xlsx 或 .csv 文件。")
        )
        raise ValidationFailed.single("file", message) from exc
    while rows and not any(rows[-1]):
        rows.pop()
    if len(rows) < 2:
        raise ValidationFailed.single("file", _("文件中没有机构数据。"))
    return rows


def _too_large(exc: sheets.TooLarge) -> str:
    if exc.what == "bytes":
        return _("文件大小 %(found).1f MB，超过上限 %(limit)d MB。") % {
            "found": exc.found / sheets.MIB,
            "limit": exc.limit // sheets.MIB,
        }
    if exc.what == "rows":
        return _("文件超过 %(n)d 行的上限，请拆分后分批导入。") % {"n": MAX_ROWS}
    if exc.what == "columns":
        return _("文件有 %(found)d 列，超过 %(limit)d 列的上限。") % {
            "found": exc.found,
            "limit": exc.limit,
        }
    return _("文件超过读取上限（%(what)s：%(limit)d），已拒绝。") % {
        "what": exc.what,
        "limit": exc.limit,
    }


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _positions(header: Sequence[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, raw in enumerate(header):
        heading = re.sub(r"\s+", "", raw.replace("*", ""))
        name = HEADINGS.get(heading) or ALIASES.get(heading)
        if name and name not in positions:
            positions[name] = index
    missing = [name for name in REQUIRED if name not in positions]
    if missing:
        raise ValidationFailed.single(
            "file",
            _("表头缺少以下列：%(missing)s。第一行应为：%(all)s。")
            % {
                "missing": "、".join(_heading(n) for n in missing),
                "all": "、".join(_(h) for _n, h in COLUMNS),
            },
        )
    return positions


def _choice(raw: str, choices: Sequence[tuple[str, object]], chinese: dict[str, str]) -> str | None:
    """The value of a choice given by its value, its Chinese label or its label in the
    active language."""
    if raw in chinese:
        return chinese[raw]
    for value, label in choices:
        if raw in (value, str(label)):
            return value
    return None


def _date(raw: str) -> dt.date | None:
    match = DATE.match(raw)
    if match is None:
        raise ValueError(raw)
    return dt.date(*(int(g) for g in match.groups()))


def _row_input(
    number: int, values: Sequence[str], positions: dict[str, int], errors: list[RowError]
) -> services.InstitutionInput | None:
    """One row as the service's input, or None with its errors appended."""

    def raw(name: str) -> str:
        index = positions.get(name)
        return values[index].strip() if index is not None and index < len(values) else ""

    found: list[RowError] = []

    def bad(name: str, message: str) -> None:
        found.append(RowError(number, _heading(name), message))

    dates: dict[str, dt.date | None] = {}
    for name in ("licence_from", "licence_to"):
        try:
            dates[name] = _date(raw(name)) if raw(name) else None
        except ValueError:
            dates[name] = None
            bad(name, _("“%(v)s”不是日期，请写成 2026-09-01。") % {"v": raw(name)})
    category = _choice(raw("category"), Category.choices, CATEGORIES)
    if category is None:
        bad("category", _("“%(v)s”应为“学科类”或“非学科类”。") % {"v": raw("category")})
    subcategory = _choice(raw("subcategory"), Subcategory.choices, SUBCATEGORIES)
    if subcategory is None:
        bad(
            "subcategory",
            _("“%(v)s”应为以下之一：%(all)s。")
            % {
                "v": raw("subcategory"),
                "all": "、".join(str(lb) for _v, lb in Subcategory.choices),
            },
        )
    nonprofit = raw("is_nonprofit").upper()
    if nonprofit not in YES | NO:
        bad("is_nonprofit", _("“%(v)s”应为“是”或“否”。") % {"v": raw("is_nonprofit")})
    try:
        area = Decimal(raw("area_m2").replace(",", ""))
        if not area.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        area = Decimal(0)
        bad("area_m2", _("“%(v)s”不是面积（平方米），如 320 或 320.5。") % {"v": raw("area_m2")})
    else:
        area = area.quantize(Decimal("0.1")) if abs(area) < Decimal("1e7") else area
    if found:
        errors.extend(found)
        return None
    return services.InstitutionInput(
        name=raw("name"),
        credit_code=raw("credit_code"),
        licence_number=raw("licence_number"),
        licence_from=dates["licence_from"],
        licence_to=dates["licence_to"],
        category=category or "",
        subcategory=subcategory or "",
        is_nonprofit=nonprofit in YES,
        address=raw("address"),
        area_m2=area,
    )


def _row_errors(number: int, failed: ValidationFailed) -> list[RowError]:
    names = dict(COLUMNS)
    return [
        RowError(number, _(names[field]) if field in names else _("整行"), message)
        for field, messages in failed.errors.items()
        for message in messages
    ]


def registry_check(
    *, district_id: int, filename: str, data: bytes
) -> list[tuple[int, services.InstitutionInput, Institution | None]]:
    """Every row checked: (row number, input, the entry it updates or None); raises
    ``RegistryInvalid`` with every bad row, or ``ValidationFailed`` for the file."""
    rows = read_table(filename, data)
    positions = _positions(rows[0])
    existing = {
        i.credit_code: i
        for i in Institution.objects.filter(district_id=district_id).select_related("unit")
    }
    elsewhere = set(
        Institution.objects.exclude(district_id=district_id).values_list("credit_code", flat=True)
    )
    errors: list[RowError] = []
    checked: list[tuple[int, services.InstitutionInput, Institution | None]] = []
    seen: dict[str, int] = {}
    for offset, values in enumerate(rows[1:]):
        number = offset + 2
        if not any(values):
            continue
        data_in = _row_input(number, values, positions, errors)
        if data_in is None:
            continue
        code = normalized(data_in.credit_code)
        target = existing.get(code)
        if code in elsewhere:
            errors.append(
                RowError(number, _heading("credit_code"), _("该统一社会信用代码已在其他区县登记。"))
            )
            continue
        if code in seen:
            errors.append(
                RowError(
                    number,
                    _heading("credit_code"),
                    _("与第 %(row)d 行的统一社会信用代码重复。") % {"row": seen[code]},
                )
            )
            continue
        seen[code] = number
        try:
            services.validate_institution(data_in, exclude_id=target.pk if target else None)
        except ValidationFailed as exc:
            errors.extend(_row_errors(number, exc))
            continue
        checked.append((number, data_in, target))
    if errors:
        raise RegistryInvalid(errors)
    return checked


def registry_import(
    *,
    actor: Actor,
    district_id: int,
    filename: str,
    data: bytes,
    today: dt.date | None = None,
) -> ImportResult:
    """Import the district's registry file: every row, or none (see the module's text)."""
    selectors.officer_district(actor, district_id)
    checked = registry_check(district_id=district_id, filename=filename, data=data)
    day = today or local_today()
    created = updated = 0
    with transaction.atomic():
        for _number, data_in, target in checked:
            if target is None:
                services.institution_create(
                    actor=actor, district_id=district_id, data=data_in, today=day
                )
                created += 1
            elif services.entry_differs(target, data_in):
                services.institution_update(actor=actor, institution_id=target.pk, data=data_in)
                updated += 1
        # Trainers are adults: the entry records the import, and names no student.
        audit_change(
            actor,
            "training_registry",
            [],
            school_id=None,
            action=AuditEntry.Action.IMPORT,
            what=f"{filename}: {len(checked)} rows, {created} new, {updated} updated",
        )
    return ImportResult(rows=len(checked), created=created, updated=updated)
