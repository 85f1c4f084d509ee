"""Hostile uploads refused before they cost time (qingfu.core.sheets through the roster reader).

Each file is read by ``roster.read_table`` with the production limits (10 MB, 20,000 data
rows); the figure is the median of 5 reads. Target: every oversized file refused in < 1 s.
A roster at the row limit is read in full, for comparison.
"""

from __future__ import annotations

import time
from statistics import median

from bench.hostile_files import MIB, xlsx_of, zip_bomb
from qingfu.schools import roster

LIMITS = {"max_bytes": 10 * MIB, "max_rows": 20_000}


def _seconds(data: bytes) -> tuple[float, str]:
    times, outcome = [], "read"
    for _ in range(5):
        started = time.perf_counter()
        try:
            roster.read_table("upload.xlsx", data, **LIMITS)
        except roster.RosterFileError as exc:
            outcome = f"refused: {exc}"
        times.append(time.perf_counter() - started)
    return median(times), outcome


def main() -> None:
    cases = {
        "1,000,000 cells (50,000 x 20), dimension declared": xlsx_of(50_000, 20),
        "1,000,000 cells (50,000 x 20), no dimension": xlsx_of(50_000, 20, dimension=False),
        "1,000,000 cells (1,000 x 1,000), dimension declared": xlsx_of(1_000, 1_000),
        "600,000 cells (10,000 x 60), no dimension": xlsx_of(10_000, 60, dimension=False),
        "zip bomb inflating to 200 MB": zip_bomb(200 * MIB),
        "zip bomb inflating to 8 MB (ratio)": zip_bomb(8 * MIB),
        "20,000 x 12 at the row limit (accepted)": xlsx_of(20_000, 12),
    }
    for label, data in cases.items():
        seconds, outcome = _seconds(data)
        print(f"{label} ({len(data) / MIB:.1f} MB): {seconds * 1000:.0f} ms, {outcome}")


if __name__ == "__main__":
    main()
