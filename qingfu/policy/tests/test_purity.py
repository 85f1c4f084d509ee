"""The policy layer's data files are readable as package resources (its purity, with the
other pure modules', is tested in tests/test_pure_modules.py)."""

from __future__ import annotations

from pathlib import Path

POLICY = Path(__file__).resolve().parents[1]


def test_data_files_are_shipped_inside_the_package() -> None:
    assert (POLICY / "profiles" / "national.toml").is_file()
    assert (POLICY / "calendars" / "cn-2026.toml").is_file()
    assert (POLICY / "__init__.py").is_file()
