"""``qingfu backup`` / ``qingfu restore``: every table and every uploaded file comes back
equal (row counts and content hashes per table, bytes per file), on the database the suite
runs on (SQLite, or PostgreSQL with ``DATABASE_URL``); a damaged archive and a database
that is not empty are refused with a message saying so."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.test import override_settings

from qingfu.core import backup
from qingfu.schools.models import District, Student
from qingfu.schools.tests import factories as f


def _source_tables() -> dict[str, dict[str, Any]]:
    if connection.vendor == "sqlite":
        return backup.sqlite_tables(connection.settings_dict["NAME"])
    return backup.postgres_tables("default")


def _psql(*args: str, stdin: bytes | None = None) -> bytes:
    sd = connection.settings_dict
    env = dict(os.environ, PGPASSWORD=str(sd.get("PASSWORD") or ""))
    base = ["-h", str(sd.get("HOST") or "127.0.0.1"), "-p", str(sd.get("PORT") or 5432)]
    base += ["-U", str(sd.get("USER") or "postgres")]
    return subprocess.run(
        [args[0], *base, *args[1:]], env=env, input=stdin, capture_output=True, check=True
    ).stdout


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[dict[str, str]]:
    """An empty database with this version's schema (what `qingfu migrate` leaves), and the
    environment that points `qingfu` at it and at an empty upload directory."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env |= {"QINGFU_MEDIA_DIR": str(tmp_path / "restored-media"), "PYTHONPATH": os.getcwd()}
    if connection.vendor == "sqlite":
        var = tmp_path / "var"
        var.mkdir()
        target = var / "qingfu.sqlite3"
        with closing(sqlite3.connect(target)) as copy:
            connection.ensure_connection()
            connection.connection.backup(copy)
            copy.execute("PRAGMA foreign_keys = OFF")
            names = copy.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            ).fetchall()
            for (name,) in names:
                if name not in backup.SEEDED:
                    copy.execute(f'DELETE FROM "{name}"')  # noqa: S608 - the test's own tables
            copy.commit()
        yield env | {"QINGFU_VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{target}"}
        return
    source = connection.settings_dict["NAME"]
    name = f"{source}_restored"
    _psql("psql", "-d", "postgres", "-c", f'DROP DATABASE IF EXISTS "{name}"')
    _psql("psql", "-d", "postgres", "-c", f'CREATE DATABASE "{name}"')
    schema = _psql("pg_dump", "--schema-only", "--no-owner", "-d", source)
    seeded = _psql(
        "pg_dump", "--data-only", "-d", source,
        "-t", "django_migrations", "-t", "django_content_type", "-t", "auth_permission",
    )  # fmt: skip
    _psql("psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", name, stdin=schema + seeded)
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()
    try:
        yield env | {"DATABASE_URL": url}
    finally:
        _psql("psql", "-d", "postgres", "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def blank_database(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A database with no tables at all (a new SQLite file; PostgreSQL's CREATE DATABASE and
    nothing more): what an operator has before ever running `qingfu migrate`."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env |= {"QINGFU_MEDIA_DIR": str(tmp_path / "restored-media"), "PYTHONPATH": os.getcwd()}
    if connection.vendor == "sqlite":
        var = tmp_path / "var"
        var.mkdir()
        target = var / "qingfu.sqlite3"
        target.touch()  # an empty file is an SQLite database with no table and no schema
        yield env | {"QINGFU_VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{target}"}
        return
    name = f"{connection.settings_dict['NAME']}_blank"
    _psql("psql", "-d", "postgres", "-c", f'DROP DATABASE IF EXISTS "{name}"')
    _psql("psql", "-d", "postgres", "-c", f'CREATE DATABASE "{name}"')
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()
    try:
        yield env | {"DATABASE_URL": url}
    finally:
        _psql("psql", "-d", "postgres", "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _table_names(env: dict[str, str]) -> list[str]:
    """The tables the database of ``env`` holds, read from its own catalogue."""
    if connection.vendor == "sqlite":
        path = env["DATABASE_URL"].removeprefix("sqlite:///")
        with closing(sqlite3.connect(path)) as db:
            rows = db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            ).fetchall()
        return sorted(r[0] for r in rows)
    name = urllib.parse.urlsplit(env["DATABASE_URL"]).path.lstrip("/")
    out = _psql(
        "psql", "-tA", "-d", name, "-c",
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1",
    )  # fmt: skip
    return out.decode().split()


def _restored_tables(env: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Read afresh from the restored database (by another process on PostgreSQL)."""
    if connection.vendor == "sqlite":
        return backup.sqlite_tables(env["DATABASE_URL"].removeprefix("sqlite:///"))
    script = (
        "import json, django; django.setup(); from qingfu.core.backup import postgres_tables; "
        "print(json.dumps(postgres_tables('default')))"
    )
    env = env | {"DJANGO_SETTINGS_MODULE": "qingfu.config.settings"}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _qingfu(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qingfu.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


@pytest.fixture
def media(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "media"
    (root / "rosters" / "2026").mkdir(parents=True)
    (root / "rosters" / "2026" / "三年级.xlsx").write_bytes(os.urandom(20_000))
    (root / "note.txt").write_text("轻负\n")
    with override_settings(MEDIA_ROOT=root):
        yield root


@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_while_writes_go_on_restores_every_table_and_file_equal(
    world: Any, media: Path, tmp_path: Path, empty_database: dict[str, str]
) -> None:
    archive = tmp_path / "qingfu.tar.gz"
    stop = threading.Event()
    written: list[int] = []

    def writer() -> None:  # the site in use: districts created one after another
        try:
            while not stop.is_set():
                written.append(f.DistrictFactory().pk)
        finally:
            connections.close_all()

    base = District.objects.count()
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        for _ in range(3000):  # the writer is going before the backup starts
            if len(written) >= 3 or not thread.is_alive():
                break
            time.sleep(0.01)
        assert len(written) >= 3
        at_start = len(written)
        call_command("backup", str(archive), stdout=io.StringIO())
        at_end = len(written)
    finally:
        stop.set()
        thread.join()
    assert at_end > at_start  # writes went on while the backup ran

    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    # The archive holds a moment between the writes: some of the districts, and exactly
    # the ones the manifest counts.
    kept = manifest["tables"]["schools_district"]["rows"]
    assert base + at_start <= kept <= base + at_end
    assert manifest["files"]["rosters/2026/三年级.xlsx"]["size"] == 20_000

    done = _qingfu(empty_database, "restore", str(archive))
    assert done.returncode == 0, done.stderr
    assert "与备份清单一致" in done.stdout

    restored = _restored_tables(empty_database)
    assert restored == manifest["tables"]  # every table: the same rows, the same content
    assert restored["schools_student"]["rows"] == Student.objects.count() > 0
    for rel in manifest["files"]:
        again = Path(empty_database["QINGFU_MEDIA_DIR"]) / rel
        assert again.read_bytes() == (media / rel).read_bytes()
    # The source's own tables now hold the later districts too; the rest are unchanged.
    now = _source_tables()
    assert {k: v for k, v in now.items() if k != "schools_district"} == {
        k: v for k, v in restored.items() if k != "schools_district"
    }

    again = _qingfu(empty_database, "restore", str(archive))
    assert again.returncode != 0 and "数据库不是空的" in again.stderr


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_is_refused_before_the_database_is_touched(
    world: Any, media: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "qingfu.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    before = _source_tables()

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(CommandError, match="备份文件已损坏或不完整"):
        call_command("restore", str(truncated))

    flipped = tmp_path / "flipped.tar.gz"
    raw = bytearray(archive.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    flipped.write_bytes(bytes(raw))
    with pytest.raises(CommandError, match="损坏"):
        call_command("restore", str(flipped))

    # A well-formed archive whose file is not the one the manifest describes.
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(tampered, "w:gz") as out:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "media/note.txt":
                data = b"changed\n"
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match=r"media/note\.txt 的校验和不符"):
        call_command("restore", str(tampered))

    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))
    assert _source_tables() == before


@pytest.mark.django_db(transaction=True)
def test_a_database_with_data_is_refused_and_kept(world: Any, tmp_path: Path) -> None:
    archive = tmp_path / "qingfu.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    before = _source_tables()
    with pytest.raises(CommandError, match=r"数据库不是空的.*不会覆盖现有数据"):
        call_command("restore", str(archive))
    assert _source_tables() == before
    with pytest.raises(CommandError, match="已存在"):
        call_command("backup", str(archive))


@pytest.mark.django_db(transaction=True)
def test_a_restore_into_a_database_with_no_tables_migrates_it_then_restores_everything(
    world: Any, media: Path, tmp_path: Path, blank_database: dict[str, str]
) -> None:
    archive = tmp_path / "qingfu.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert _table_names(blank_database) == []  # not even django_migrations

    done = _qingfu(blank_database, "restore", str(archive))
    assert done.returncode == 0, done.stderr
    assert "与备份清单一致" in done.stdout

    restored = _restored_tables(blank_database)
    # Every table of the source was created by the restore's own migrate and holds the same
    # rows: the migration record, content types and permissions included.
    assert sorted(restored) == _table_names(blank_database) == sorted(manifest["tables"])
    assert restored == manifest["tables"] == _source_tables()
    assert restored["schools_student"]["rows"] == Student.objects.count() > 0
    for rel in manifest["files"]:
        again = Path(blank_database["QINGFU_MEDIA_DIR"]) / rel
        assert again.read_bytes() == (media / rel).read_bytes()
    # The restored database is at this version's schema: nothing left for `migrate` to do.
    check = _qingfu(blank_database, "migrate", "--check")
    assert check.returncode == 0, check.stdout + check.stderr
