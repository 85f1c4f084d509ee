"""The policy layer stays pure: no Django, no clock, data files readable as package resources."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

POLICY = Path(__file__).resolve().parents[1]
MODULES = sorted(p for p in POLICY.glob("*.py"))


def test_importing_the_policy_layer_loads_no_django() -> None:
    code = (
        "import sys\n"
        "import qingfu.policy.calendar, qingfu.policy.checks, qingfu.policy.profile\n"
        "qingfu.policy.profile.load_national()\n"
        "qingfu.policy.calendar.load_national_calendars()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=POLICY.parents[1],
    )
    assert result.stdout.strip() == "[]"


def test_no_module_imports_django_or_reads_the_clock() -> None:
    clock_reads = {"now", "today", "utcnow", "time", "monotonic", "localtime"}
    for path in MODULES:
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                module = node.module if isinstance(node, ast.ImportFrom) else ""
                for name in [*names, module or ""]:
                    assert not name.startswith("django"), f"{path.name} imports {name}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                target = ast.unparse(node.func.value)
                called = node.func.attr
                assert not (
                    called in clock_reads
                    and target in {"dt.datetime", "dt.date", "time", "datetime", "date"}
                ), f"{path.name} reads the clock: {target}.{called}()"


def test_data_files_are_shipped_inside_the_package() -> None:
    assert (POLICY / "profiles" / "national.toml").is_file()
    assert (POLICY / "calendars" / "cn-2026.toml").is_file()
    assert (POLICY / "__init__.py").is_file()
