"""Production settings refuse unsafe configurations; development works with none."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _load(env: dict[str, str], tmp_path: object) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "QINGFU_ENV"}}
    clean.update(env, QINGFU_VAR_DIR=str(tmp_path))
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import qingfu.config.settings as s; print(s.DEBUG, len(s.SECRET_KEY))",
        ],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_development_generates_a_secret_once(tmp_path: object) -> None:
    first = _load({}, tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.split()[0] == "True"
    key = (tmp_path / "secret_key").read_text()  # type: ignore[operator]
    assert _load({}, tmp_path).returncode == 0
    assert (tmp_path / "secret_key").read_text() == key  # type: ignore[operator]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"QINGFU_ENV": "production"}, "SECRET_KEY must be set"),
        ({"QINGFU_ENV": "production", "SECRET_KEY": "x" * 60, "DEBUG": "1"}, "DEBUG must be off"),
        ({"QINGFU_ENV": "production", "SECRET_KEY": "django-insecure-" + "x" * 50}, "default"),
        ({"QINGFU_ENV": "production", "SECRET_KEY": "short"}, "too short"),
    ],
)
def test_production_refuses_unsafe_settings(
    env: dict[str, str], message: str, tmp_path: object
) -> None:
    result = _load(env, tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_starts_with_a_real_secret(tmp_path: object) -> None:
    result = _load({"QINGFU_ENV": "production", "SECRET_KEY": "k" * 64}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "False"
