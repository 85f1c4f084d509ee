"""The pure modules stay pure: importing them loads no Django, and none reads the clock.

Policy, allocation, the duty roster's model, the estimates, the rollup computation, report
writing and the other modules whose docstring says "pure" take plain values and return
decisions; the callers load the facts and pass ``today``. import-linter's contract in
pyproject.toml says the same for imports; this also runs them, and looks for clock reads.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PURE = [
    *sorted(
        f"qingfu.policy.{p.stem}"
        for p in (ROOT / "qingfu" / "policy").glob("*.py")
        if p.stem != "__init__"
    ),
    "qingfu.afterschool.allocation",
    "qingfu.afterschool.duty",
    "qingfu.afterschool.phases",
    "qingfu.assessment.bands",
    "qingfu.assessment.chart",
    "qingfu.core.palette",
    "qingfu.core.sheets",
    "qingfu.core.text",
    "qingfu.core.wording",
    "qingfu.homework.calibration",
    "qingfu.homework.estimate",
    "qingfu.homework.load",
    "qingfu.homework.sampling",
    "qingfu.homework.simulation",
    "qingfu.inspections.checklist",
    "qingfu.inspections.evidence",
    "qingfu.inspections.institution_checklist",
    "qingfu.inspections.wording",
    "qingfu.oversight.figures",
    "qingfu.oversight.rollups",
    "qingfu.reports.burden_writing",
    "qingfu.reports.teacher_writing",
    "qingfu.reports.training_writing",
    "qingfu.reports.writing",
    "qingfu.schools.naming",
    "qingfu.schools.people",
    "qingfu.schools.roster",
    "qingfu.training.codes",
    "qingfu.wellbeing.sleep",
]
CLOCK_READS = {"now", "today", "utcnow", "time", "monotonic", "localtime", "perf_counter"}
CLOCK_OWNERS = {"dt.datetime", "dt.date", "time", "datetime", "date", "timezone"}


def test_importing_every_pure_module_loads_no_django() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {PURE!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("name", PURE)
def test_the_module_neither_imports_django_nor_reads_the_clock(name: str) -> None:
    path = Path(importlib.util.find_spec(name).origin)  # type: ignore[arg-type, union-attr]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            module = node.module if isinstance(node, ast.ImportFrom) else ""
            for imported in [*names, module or ""]:
                assert not imported.startswith("django"), f"{name} imports {imported}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = ast.unparse(node.func.value)
            assert not (node.func.attr in CLOCK_READS and owner in CLOCK_OWNERS), (
                f"{name} reads the clock: {owner}.{node.func.attr}()"
            )
