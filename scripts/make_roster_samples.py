"""Write the sample roster files under docs/samples/ (deterministic; re-run to refresh).

The samples are a new class, 一年级(5)班, in the layout exported by the national
student-status system: an XLSX, the same as UTF-8 and GBK CSV, and a copy of the XLSX
with one deliberately bad row (a 10-digit phone number) to show that nothing is imported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path

from openpyxl import Workbook

from qingfu.schools.people import Names, PhoneBook, birth_for_grade, national_id
from qingfu.schools.roster import EXPORT_COLUMNS

OUT = Path(__file__).resolve().parent.parent / "docs" / "samples"
BAD_ROW = 17  # spreadsheet row number of the deliberately bad row


def rows() -> list[list[object]]:
    rng = random.Random(5)
    names = Names(rng)
    phones = PhoneBook(rng)
    result: list[list[object]] = []
    born: dict[dt.date, int] = {}
    for _ in range(42):
        gender = rng.choice("MF")
        birth = birth_for_grade(rng, 1, dt.date(2026, 9, 1))
        born[birth] = born.get(birth, -1) + 1
        child = names.child(gender)
        father = names.adult("M", child[0])
        row: list[object] = [
            child,
            "男" if gender == "M" else "女",
            birth,
            national_id("330198", birth, gender, born[birth]),
            "一年级",
            "5班",
            father,
            "父亲",
            phones.new(),
        ]
        if rng.random() < 0.6:
            row += [names.adult("F"), "母亲", phones.new()]
        else:
            row += ["", "", ""]
        result.append(row)
    return result


def write_xlsx(path: Path, data: list[list[object]]) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "学生名册"
    sheet.append(list(EXPORT_COLUMNS))
    for row in data:
        sheet.append(row)
    for cell in sheet["C"][1:]:
        cell.number_format = "yyyy-mm-dd"
    workbook.save(path)


def csv_text(data: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in data:
        writer.writerow([v.isoformat() if isinstance(v, dt.date) else v for v in row])
    return buffer.getvalue()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    data = rows()
    write_xlsx(OUT / "roster_sample.xlsx", data)
    (OUT / "roster_sample.csv").write_text(csv_text(data), encoding="utf-8-sig")
    (OUT / "roster_sample_gbk.csv").write_bytes(csv_text(data).encode("gbk"))
    bad = [list(r) for r in data]
    bad[BAD_ROW - 2][8] = "1381234567"
    write_xlsx(OUT / "roster_sample_bad.xlsx", bad)
    print(f"wrote {len(data)} rows to {OUT}")


if __name__ == "__main__":
    main()
