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


# Fixed, so that xdist workers collect the same test ids; used only in these subprocesses.
STRONG_KEY = "q7Hf-2kLz9Rw_Xv4Tn8Bm1Pc6Yd3Ge5Ja0Ks7Lu2Mi9No4Op1Qr8St3Uv6Wx"


@pytest.mark.parametrize("name", ["production", "Production", " PRODUCTION "])
def test_production_starts_with_a_real_secret_whatever_the_case(
    name: str, tmp_path: object
) -> None:
    result = _load({"QINGFU_ENV": name, "SECRET_KEY": STRONG_KEY}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "False"


@pytest.mark.parametrize("name", ["prod", "staging", "developement"])
def test_an_unknown_environment_refuses_to_start(name: str, tmp_path: object) -> None:
    result = _load({"QINGFU_ENV": name, "SECRET_KEY": STRONG_KEY}, tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"QINGFU_ENV='{name}' is not known" in result.stderr


@pytest.mark.parametrize("key", ["k" * 64, "abab" * 20, STRONG_KEY[:49]])
def test_a_weak_key_refuses_to_start(key: str, tmp_path: object) -> None:
    # 50 repeated characters was once accepted; Django's check wants length and variety.
    result = _load({"QINGFU_ENV": "production", "SECRET_KEY": key}, tmp_path)
    assert result.returncode != 0
    assert "at least 50 characters with real variety" in result.stderr


def test_the_deploy_check_passes_in_production(tmp_path: object) -> None:
    """`qingfu check --deploy --fail-level WARNING` under production settings: HSTS, SSL
    redirect, secure cookies, the key, DEBUG, ALLOWED_HOSTS, referrer policy all pass."""
    # A production server never runs with Playwright's DJANGO_ALLOW_ASYNC_UNSAFE, which the
    # browser tests set in this worker's environment (the check refuses it: async.E001).
    dropped = {"SECRET_KEY", "DEBUG", "QINGFU_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        QINGFU_ENV="production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="qingfu.example.org",
        QINGFU_PROXY_SSL_HEADER="X-Forwarded-Proto",
        QINGFU_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="qingfu.config.settings",
    )
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    # And the development defaults would not pass: the check really checks.
    env.update(QINGFU_ENV="development")
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # no HSTS in development


def test_production_security_settings(tmp_path: object) -> None:
    script = (
        "import qingfu.config.settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER,"
        " s.SECURE_REFERRER_POLICY, s.QINGFU_API_DOCS_PUBLIC)"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "QINGFU_ENV"}}
    env.update(
        QINGFU_ENV="production",
        SECRET_KEY=STRONG_KEY,
        QINGFU_PROXY_SSL_HEADER="X-Forwarded-Proto",
        QINGFU_VAR_DIR=str(tmp_path),
    )
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ("True 31536000 True True ('HTTP_X_FORWARDED_PROTO', 'https') same-origin False")
