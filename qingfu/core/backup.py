"""Backup and restore: one archive holding the database and the uploaded files, with a
manifest that says what must come back (``qingfu backup`` / ``qingfu restore``,
``docs/operations.md``).

The archive is a gzipped tar:

- ``manifest.json``: the engine, the applied migrations, each table's row count and content
  hash, and each file's size and SHA-256, and the database payload's SHA-256;
- ``database.dump`` (PostgreSQL: ``pg_dump``'s custom format) or ``database.sqlite3`` (a copy
  made with SQLite's backup API);
- ``media/…``: the files under ``MEDIA_ROOT``.

Consistency while the site is in use: on PostgreSQL one REPEATABLE READ, READ ONLY
transaction exports its snapshot, ``pg_dump --snapshot`` dumps exactly that snapshot, and
the counts and hashes are read in the same transaction; on SQLite the backup API copies the
database in one step (WAL: writers go on meanwhile) and the counts and hashes are read from
the copy. Either way the manifest describes the very data in the archive.

Restore (into an empty database: no rows outside what ``migrate`` itself fills): check
every checksum before touching the database, migrate to the archive's migrations, load the
rows (``pg_restore --data-only`` in one transaction; SQLite: one transaction of
``INSERT … SELECT`` from the attached copy), compare every table's count and hash with the
manifest, then migrate forward to this version's schema and put the files back.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.db import connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "qingfu-backup"
VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
# Tables `migrate` fills by itself: a database holding rows only in these is empty.
SEEDED = frozenset(
    {"django_migrations", "django_content_type", "auth_permission", "sqlite_sequence"}
)
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator."""


@dataclass
class Manifest:
    engine: str
    database_file: str
    database_sha256: str
    migrations: list[tuple[str, str]]
    tables: dict[str, dict[str, Any]]
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    created: str = ""

    def to_json(self) -> bytes:
        return json.dumps(
            {
                "format": FORMAT,
                "version": VERSION,
                "created": self.created,
                "engine": self.engine,
                "database": {"file": self.database_file, "sha256": self.database_sha256},
                "migrations": [list(m) for m in self.migrations],
                "tables": self.tables,
                "files": self.files,
            },
            ensure_ascii=False,
            indent=1,
            sort_keys=True,
        ).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT:
                raise BackupError(_("这不是轻负的备份文件（清单格式不符）。"))
            if data.get("version") != VERSION:
                raise BackupError(
                    _("备份文件的格式版本 %(version)s 不受本版本支持。")
                    % {"version": data.get("version")}
                )
            return cls(
                engine=data["engine"],
                database_file=data["database"]["file"],
                database_sha256=data["database"]["sha256"],
                migrations=[(a, n) for a, n in data["migrations"]],
                tables=data["tables"],
                files=data["files"],
                created=data.get("created", ""),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise BackupError(_("备份文件的清单无法读取：%(reason)s") % {"reason": exc}) from exc


@dataclass
class Done:
    tables: int
    rows: int
    files: int
    size: int


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# ---------------------------------------------------------------------------------------
# Table contents: counts and hashes, the same way on the source and the restored database.


def _digest_rows(rows: Iterable[Any]) -> tuple[int, str]:
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update(repr(tuple(row)).encode())
        digest.update(b"\n")
        count += 1
    return count, digest.hexdigest()


def sqlite_tables(path: str | Path) -> dict[str, dict[str, Any]]:
    """Each table's row count and hash in the SQLite file at ``path``, read with the plain
    driver (Django's converters would change the values' types)."""
    out: dict[str, dict[str, Any]] = {}
    with closing(sqlite3.connect(path)) as db:
        names = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        for name in names:
            info = db.execute(f"PRAGMA table_info({_quote(name)})").fetchall()
            columns = sorted(r[1] for r in info)
            keys = [r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]
            select = ", ".join(_quote(c) for c in columns)
            order = ", ".join(_quote(c) for c in (keys or columns))
            rows, digest = _digest_rows(
                db.execute(f"SELECT {select} FROM {_quote(name)} ORDER BY {order}")  # noqa: S608 - names read from the database's own catalogue, quoted
            )
            out[name] = {"rows": rows, "sha256": digest}
    return out


def postgres_tables(alias: str) -> dict[str, dict[str, Any]]:
    """Each table's row count and hash, read on ``alias``'s connection (inside the caller's
    transaction: the backup's snapshot). A row is hashed as PostgreSQL's text of its columns
    taken in name order, so the restored table hashes the same whatever its column order."""
    conn = connections[alias]
    out: dict[str, dict[str, Any]] = {}
    with conn.cursor() as cursor:
        names = sorted(conn.introspection.table_names(cursor))
        for name in names:
            columns = sorted(c.name for c in conn.introspection.get_table_description(cursor, name))
            keys = conn.introspection.get_primary_key_columns(cursor, name) or columns
            row = "ROW(" + ", ".join(_quote(c) for c in columns) + ")::text"
            order = ", ".join(_quote(c) for c in keys)
            out[name] = {"rows": 0, "sha256": ""}
            with conn.chunked_cursor() as rows:
                rows.execute(f"SELECT {row} FROM {_quote(name)} ORDER BY {order}")  # noqa: S608 - names read from the database's own catalogue, quoted
                count, digest = _digest_rows(rows)
            out[name] = {"rows": count, "sha256": digest}
    return out


def _postgres_env(alias: str) -> tuple[list[str], dict[str, str]]:
    """``pg_dump``/``pg_restore`` connection options for ``alias`` and the environment
    (the password travels in PGPASSWORD, never on the command line)."""
    sd = connections[alias].settings_dict
    args = ["--dbname", sd["NAME"]]
    if sd.get("HOST"):
        args += ["--host", str(sd["HOST"])]
    if sd.get("PORT"):
        args += ["--port", str(sd["PORT"])]
    if sd.get("USER"):
        args += ["--username", str(sd["USER"])]
    env = dict(os.environ)
    if sd.get("PASSWORD"):
        env["PGPASSWORD"] = str(sd["PASSWORD"])
    sslmode = (sd.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - our own argument list, no shell
    except FileNotFoundError as exc:
        raise BackupError(
            _("找不到 %(program)s：请安装与数据库版本一致的 PostgreSQL 客户端工具。")
            % {"program": command[0]}
        ) from exc
    if done.returncode != 0:
        raise BackupError(
            _("%(program)s 失败：%(error)s")
            % {"program": command[0], "error": done.stderr.strip()[-2000:]}
        )


def _applied(alias: str) -> list[tuple[str, str]]:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [(a, n) for a, n in cursor.fetchall()]


# ---------------------------------------------------------------------------------------
# Backup


def _media_root() -> Path | None:
    root = getattr(settings, "MEDIA_ROOT", "")
    return Path(root) if root else None


def _media_files() -> Iterator[tuple[str, Path]]:
    root = _media_root()
    if root is None or not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path.relative_to(root).as_posix(), path


def _dump_sqlite(alias: str, target: Path) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    conn = connections[alias]
    conn.ensure_connection()
    with closing(sqlite3.connect(target)) as copy:
        # One step (pages=-1): the copy is the database as of one moment.
        conn.connection.backup(copy)
    with closing(sqlite3.connect(target)) as copy:
        migrations = [
            (a, n) for a, n in copy.execute("SELECT app, name FROM django_migrations ORDER BY 1, 2")
        ]
    return migrations, sqlite_tables(target)


def _dump_postgres(alias: str, target: Path) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    conn = connections[alias]
    conn.ensure_connection()
    args, env = _postgres_env(alias)
    with transaction.atomic(using=alias):
        with conn.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        _run(
            ["pg_dump", "--format=custom", "--snapshot", snapshot, "--file", str(target), *args],
            env,
        )
        return _applied(alias), postgres_tables(alias)


def backup(archive: Path, *, alias: str = "default") -> Done:
    """Write the archive at ``archive`` (refused if it exists)."""
    if archive.exists():
        raise BackupError(
            _("%(path)s 已存在：请换一个文件名，备份不会覆盖已有文件。") % {"path": archive}
        )
    vendor = connections[alias].vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(_("不支持此数据库：%(vendor)s。") % {"vendor": vendor})
    with tempfile.TemporaryDirectory(prefix="qingfu-backup-") as tmp:
        name = "database.dump" if vendor == "postgresql" else "database.sqlite3"
        db_file = Path(tmp) / name
        if vendor == "postgresql":
            migrations, tables = _dump_postgres(alias, db_file)
        else:
            migrations, tables = _dump_sqlite(alias, db_file)
        # Files after the database: a file uploaded meanwhile may be in the archive without
        # its row, never a row without a file that was already there.
        files = {
            rel: {"size": path.stat().st_size, "sha256": _sha256_file(path)}
            for rel, path in _media_files()
        }
        manifest = Manifest(
            engine=vendor,
            database_file=name,
            database_sha256=_sha256_file(db_file),
            migrations=migrations,
            tables=tables,
            files=files,
            created=timezone.now().isoformat(),
        )
        part = archive.with_name(archive.name + ".part")
        root = _media_root()
        with tarfile.open(part, "w:gz") as tar:
            raw = manifest.to_json()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(raw)
            info.mtime = int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(raw))
            tar.add(db_file, arcname=name)
            for rel in files:
                assert root is not None
                tar.add(root / rel, arcname=f"{MEDIA}/{rel}")
        os.replace(part, archive)
    return Done(
        tables=len(tables),
        rows=sum(t["rows"] for t in tables.values()),
        files=len(files),
        size=archive.stat().st_size,
    )


# ---------------------------------------------------------------------------------------
# Restore


def _unpack(archive: Path, tmp: Path) -> Manifest:
    """Unpack and check the archive into ``tmp``: every member's checksum against the
    manifest, before anything touches the database."""
    if not archive.is_file():
        raise BackupError(_("找不到备份文件 %(path)s。") % {"path": archive})
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()
            by_name = {m.name: m for m in members}
            if MANIFEST not in by_name:
                raise BackupError(_("备份文件不完整：缺少清单 manifest.json。"))
            fh = tar.extractfile(by_name[MANIFEST])
            assert fh is not None
            manifest = Manifest.from_json(fh.read())
            wanted = {manifest.database_file: manifest.database_sha256}
            wanted |= {f"{MEDIA}/{rel}": f["sha256"] for rel, f in manifest.files.items()}
            for name, digest in wanted.items():
                path = PurePosixPath(name)
                if path.is_absolute() or ".." in path.parts:
                    raise BackupError(_("备份文件含有不安全的路径：%(name)s") % {"name": name})
                member = by_name.get(name)
                if member is None or not member.isfile():
                    raise BackupError(_("备份文件不完整：缺少 %(name)s。") % {"name": name})
                target = tmp / name
                target.parent.mkdir(parents=True, exist_ok=True)
                src = tar.extractfile(member)
                assert src is not None
                with target.open("wb") as out:
                    shutil.copyfileobj(src, out, CHUNK)
                if _sha256_file(target) != digest:
                    raise BackupError(_("备份文件已损坏：%(name)s 的校验和不符。") % {"name": name})
    except (tarfile.TarError, zlib.error, EOFError, OSError) as exc:
        raise BackupError(
            _("备份文件已损坏或不完整，无法读取：%(reason)s") % {"reason": exc}
        ) from exc
    return manifest


def _occupied(alias: str) -> list[str]:
    """Tables of ``alias`` holding rows beyond what ``migrate`` fills by itself."""
    conn = connections[alias]
    with conn.cursor() as cursor:
        names = conn.introspection.table_names(cursor)
        full = []
        for name in sorted(set(names) - SEEDED):
            cursor.execute(f"SELECT 1 FROM {_quote(name)} LIMIT 1")  # noqa: S608 - names read from the database's own catalogue, quoted
            if cursor.fetchone():
                full.append(name)
    return full


def _migrate_to(alias: str, applied: list[tuple[str, str]]) -> None:
    """Bring the database to the archive's migrations (its schema, so the rows fit)."""
    conn = connections[alias]
    executor = MigrationExecutor(conn)
    graph = executor.loader.graph
    known = set(graph.nodes)
    unknown = sorted(set(applied) - known)
    if unknown:
        raise BackupError(
            _("备份来自更新的版本（本版本没有迁移 %(names)s）：请用不旧于备份的版本恢复。")
            % {"names": ", ".join(f"{a}.{n}" for a, n in unknown[:5])}
        )
    done = set(applied)
    targets: list[tuple[str, str | None]] = []
    for app in sorted(executor.loader.migrated_apps):
        nodes = [n for n in done if n[0] == app]
        if not nodes:
            targets.append((app, None))
            continue
        for node in nodes:
            children = graph.node_map[node].children
            if not any(c.key in done and c.key[0] == app for c in children):
                targets.append(node)
    plan = executor.migration_plan(targets)
    if plan:
        executor.migrate(targets, plan=plan)


def _load_postgres(alias: str, manifest: Manifest, dump: Path) -> None:
    conn = connections[alias]
    with conn.cursor() as cursor:
        present = set(conn.introspection.table_names(cursor))
        tables = sorted(present & set(manifest.tables))
        if tables:
            with transaction.atomic(using=alias):
                cursor.execute("TRUNCATE " + ", ".join(_quote(t) for t in tables) + " CASCADE")
    conn.close()
    args, env = _postgres_env(alias)
    # One transaction: the foreign keys (deferrable) are checked once, at the commit.
    _run(
        [
            "pg_restore",
            "--data-only",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            *args,
            str(dump),
        ],
        env,
    )


def _load_sqlite(alias: str, manifest: Manifest, copy: Path) -> None:
    conn = connections[alias]
    path = conn.settings_dict["NAME"]
    conn.close()
    with closing(sqlite3.connect(path, isolation_level=None, timeout=30)) as db:
        db.execute("PRAGMA foreign_keys = OFF")
        db.execute("ATTACH DATABASE ? AS snap", (str(copy),))
        db.execute("BEGIN IMMEDIATE")
        try:
            for name in sorted(manifest.tables):
                mine = {r[1] for r in db.execute(f"PRAGMA main.table_info({_quote(name)})")}
                theirs = {r[1] for r in db.execute(f"PRAGMA snap.table_info({_quote(name)})")}
                if mine != theirs:
                    raise BackupError(
                        _("表 %(table)s 的列与备份不一致，无法恢复。") % {"table": name}
                    )
                cols = ", ".join(_quote(c) for c in sorted(mine))
                db.execute(f"DELETE FROM main.{_quote(name)}")  # noqa: S608 - names read from the database's own catalogue, quoted
                db.execute(
                    f"INSERT INTO main.{_quote(name)} ({cols}) SELECT {cols} FROM snap.{_quote(name)}"  # noqa: S608 - names read from the database's own catalogue, quoted
                )
            has_seq = db.execute(
                "SELECT 1 FROM snap.sqlite_master WHERE name = 'sqlite_sequence'"
            ).fetchone()
            if has_seq:
                db.execute("DELETE FROM main.sqlite_sequence")
                db.execute("INSERT INTO main.sqlite_sequence SELECT * FROM snap.sqlite_sequence")
            broken = db.execute("PRAGMA main.foreign_key_check").fetchall()
            if broken:
                raise BackupError(
                    _("恢复的数据有 %(count)d 处外键不成立（如表 %(table)s），已撤销。")
                    % {"count": len(broken), "table": broken[0][0]}
                )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("DETACH DATABASE snap")


def compare(expected: dict[str, dict[str, Any]], actual: dict[str, dict[str, Any]]) -> list[str]:
    """The tables whose count or hash differ (or that are missing), each described."""
    wrong = []
    for name, want in sorted(expected.items()):
        got = actual.get(name)
        if got is None:
            wrong.append(_("%(table)s：恢复后没有这张表") % {"table": name})
        elif got["rows"] != want["rows"]:
            wrong.append(
                _("%(table)s：应有 %(want)d 行，恢复了 %(got)d 行")
                % {"table": name, "want": want["rows"], "got": got["rows"]}
            )
        elif got["sha256"] != want["sha256"]:
            wrong.append(_("%(table)s：行数相同而内容不同") % {"table": name})
    return wrong


def _forget_cache() -> None:
    """Drop this database's cached reads: entries are keyed by ids, and the database they
    were read from is gone. Only this database's keys (the key prefix names it)."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client(write=True)
        prefix = cache.key_prefix
        for key in client.scan_iter(match=f"{prefix}:*", count=1000):
            client.delete(key)
    else:
        cache.clear()


def restore(archive: Path, *, alias: str = "default") -> Done:
    conn = connections[alias]
    vendor = conn.vendor
    with tempfile.TemporaryDirectory(prefix="qingfu-restore-") as tmp_name:
        tmp = Path(tmp_name)
        manifest = _unpack(archive, tmp)
        if manifest.engine != vendor:
            raise BackupError(
                _("备份来自 %(theirs)s 数据库，不能恢复到 %(mine)s 数据库。")
                % {"theirs": manifest.engine, "mine": vendor}
            )
        full = _occupied(alias)
        if full:
            raise BackupError(
                _(
                    "数据库不是空的（%(tables)s 等表已有数据）：恢复只写入空数据库，不会覆盖现有数据。"
                )
                % {"tables": ", ".join(full[:5])}
            )
        root = _media_root()
        if manifest.files:
            if root is None:
                raise BackupError(_("备份含有上传文件，但没有设置 MEDIA_ROOT。"))
            if root.is_dir() and any(p.is_file() for p in root.rglob("*")):
                raise BackupError(
                    _("上传文件目录 %(path)s 不是空的：恢复不会覆盖现有文件。") % {"path": root}
                )
        _migrate_to(alias, manifest.migrations)
        payload = tmp / manifest.database_file
        if vendor == "postgresql":
            _load_postgres(alias, manifest, payload)
            actual = postgres_tables(alias)
        else:
            _load_sqlite(alias, manifest, payload)
            actual = sqlite_tables(conn.settings_dict["NAME"])
        wrong = compare(manifest.tables, actual)
        if wrong:
            raise BackupError(
                _("恢复后的数据与备份清单不符：%(tables)s") % {"tables": "；".join(wrong[:10])}
            )
        call_command("migrate", database=alias, verbosity=0, interactive=False)
        for rel in manifest.files:
            assert root is not None
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(tmp / MEDIA / rel, target)
            if _sha256_file(target) != manifest.files[rel]["sha256"]:
                raise BackupError(_("文件 %(name)s 写入后校验和不符。") % {"name": rel})
        _forget_cache()
    return Done(
        tables=len(manifest.tables),
        rows=sum(t["rows"] for t in manifest.tables.values()),
        files=len(manifest.files),
        size=archive.stat().st_size,
    )
