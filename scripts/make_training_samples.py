"""Write the sample training-registry files under docs/samples/ (deterministic; re-run to
refresh): the layout ``qingfu.training.registry_import`` reads, as an XLSX, the same as
UTF-8 and GBK CSV, and a copy of the XLSX with bad rows to show that nothing is imported.

Run from the repository: ``PYTHONPATH=. .venv/bin/python scripts/make_training_samples.py``.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingfu.config.settings")
django.setup()

from qingfu.core import sheets  # noqa: E402
from qingfu.training.codes import check_character  # noqa: E402
from qingfu.training.registry_import import COLUMNS  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "docs" / "samples"
# Rows (the spreadsheet's numbers) made bad in the _bad copy, and how.
BAD = {
    4: (1, "52330100000090031"),  # 17 characters
    7: (5, "学科"),  # neither 学科类 nor 非学科类
    9: (9, "三百"),  # not an area
}

NAMES = (
    ("青禾明德学科培训学校", "学科类", "义务教育阶段学科类", "是"),
    ("青禾致远教育培训中心", "学科类", "义务教育阶段学科类", "是"),
    ("青禾启航高中学科辅导", "学科类", "高中阶段学科类", "是"),
    ("青禾小飞鱼游泳俱乐部", "非学科类", "体育", "否"),
    ("青禾悦音钢琴艺术中心", "非学科类", "文化艺术", "否"),
    ("青禾墨香书法工作室", "非学科类", "文化艺术", "否"),
    ("青禾创客机器人编程", "非学科类", "科技", "否"),
    ("青禾篮球训练营", "非学科类", "体育", "否"),
    ("青禾彩虹美术中心", "非学科类", "文化艺术", "否"),
    ("青禾围棋道场", "非学科类", "其他", "否"),
    ("青禾博学学科培训学校", "学科类", "义务教育阶段学科类", "是"),
    ("青禾小百灵合唱团", "非学科类", "文化艺术", "否"),
)


def code(n: int) -> str:
    # 52 (social organisation, private non-enterprise unit), 330100 (the demo's area code);
    # numbers from 9000 on, clear of the demo district's own.
    body = f"52330100{9000 + n:09d}"
    return body + check_character(body)


def rows() -> list[list[object]]:
    result: list[list[object]] = []
    for n, (name, category, subcategory, nonprofit) in enumerate(NAMES, start=1):
        start = dt.date(2024, 1 + n % 12, 1)
        result.append(
            [
                name,
                code(n),
                f"教民1{33010000 + n}号",
                start,
                dt.date(start.year + 5, start.month, 1) - dt.timedelta(days=1),
                category,
                subcategory,
                nonprofit,
                f"青禾区学府路 {n * 12} 号",
                120 + n * 35,
            ]
        )
    return result


def header() -> list[object]:
    return [heading for _name, heading in COLUMNS]


def write_xlsx(path: Path, data: list[list[object]]) -> None:
    book = sheets.new_workbook()
    sheet = book.active
    sheet.title = "机构名录"
    sheets.append_row(sheet, header())
    for row in data:
        sheets.append_row(sheet, row)
    path.write_bytes(sheets.workbook_bytes(book))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    data = rows()
    write_xlsx(OUT / "training_registry_sample.xlsx", data)
    text = sheets.csv_bytes([header(), *data])
    (OUT / "training_registry_sample.csv").write_bytes(text)
    (OUT / "training_registry_sample_gbk.csv").write_bytes(text.decode("utf-8-sig").encode("gbk"))
    bad = [list(r) for r in data]
    for row, (column, value) in BAD.items():
        bad[row - 2][column] = value
    write_xlsx(OUT / "training_registry_sample_bad.xlsx", bad)
    print(f"wrote {len(data)} rows to {OUT}")


if __name__ == "__main__":
    main()
