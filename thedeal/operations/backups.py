"""Backing up and restoring the database and the uploaded files (MEDIA_ROOT).

A backup is a folder: the database (SQLite's own online backup, safe while the site runs; or
pg_dump's custom format), a copy of the uploaded files, and manifest.json with the number of
rows in every table and of files. A restore checks the backup against its manifest, refuses a
database that is not empty unless told to replace it, restores all or nothing, and checks every
table's rows afterwards.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from thedeal.operations.health import unapplied_migrations

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
MEDIA = "media"
Say = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore cannot go ahead; the message says why and what to do."""


# --- Backing up ---------------------------------------------------------------------------------


def back_up(destination: Path, *, say: Say) -> dict:
    """Write a backup folder at `destination` (new, or empty); its manifest."""
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise BackupError(f"{destination} already has files in it: choose a new folder.")
    # Written beside its final name, then renamed: a backup folder is complete or absent.
    partial = destination.with_name(destination.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    say(f"Backing up to {destination} ...")
    try:
        if connection.vendor == "sqlite":
            tables = _back_up_sqlite(partial / SQLITE_FILE, say)
        else:
            tables = _back_up_postgresql(partial / POSTGRES_FILE, say)
        say(f"Counted the rows of {len(tables)} tables: {sum(tables.values()):,} rows.")
        media = _copy_files(Path(settings.MEDIA_ROOT), partial / MEDIA)
        say(f"Copied the uploaded files ({settings.MEDIA_ROOT}): {_describe(media)}.")
        manifest = {
            "format": FORMAT,
            "made_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "database": connection.vendor,
            "tables": tables,
            "media": media,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
        if destination.exists():
            destination.rmdir()
        partial.rename(destination)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return manifest


def _back_up_sqlite(path: Path, say: Say) -> dict[str, int]:
    say("Copying the SQLite database (its online backup: the site may carry on) ...")
    connection.ensure_connection()
    shown = [-1]

    def progress(status: int, remaining: int, total: int) -> None:
        percent = 100 * (total - remaining) // max(total, 1)
        if percent // 10 > shown[0] // 10:
            shown[0] = percent
            say(f"  {percent}% of {total:,} pages")

    target = sqlite3.connect(path)
    try:
        # SQLite's online backup: a consistent copy while the site carries on writing (it starts
        # again by itself if another process writes mid-copy). 1,024 pages (4 MB) a step.
        connection.connection.backup(target, pages=1024, progress=progress)
        # One self-contained file, whatever journal the site's database uses.
        target.execute("PRAGMA journal_mode=DELETE")
        if target.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError("SQLite's check of the copied database failed: nothing was kept.")
        return _sqlite_counts(target)
    finally:
        target.close()


def _back_up_postgresql(path: Path, say: Say) -> dict[str, int]:
    say("Copying the PostgreSQL database with pg_dump (the site may carry on) ...")
    with transaction.atomic(), connection.cursor() as cursor:
        # One snapshot for both the counts and pg_dump, so the manifest matches the dump even
        # while the site is writing.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        tables = _counts(cursor, connection.introspection.table_names(cursor))
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              f"--snapshot={snapshot}", f"--file={path}"])  # fmt: skip
    say(f"  {path.stat().st_size:,} bytes written")
    return tables


# --- Restoring ----------------------------------------------------------------------------------


def restore(source: Path, *, replace: bool, say: Say) -> dict:
    """Restore the backup folder `source` into the configured database and MEDIA_ROOT."""
    manifest = read_manifest(source)
    if manifest["database"] != connection.vendor:
        raise BackupError(
            f"This is a backup of a {_vendor(manifest['database'])} database and this server "
            f"uses {_vendor(connection.vendor)}: restore it on a server configured like the one "
            "that made it."
        )
    tables, media = manifest["tables"], manifest["media"]
    say(f"The backup was made at {manifest['made_at']}: {len(tables)} tables, "
        f"{sum(tables.values()):,} rows, {_describe(media)}.")  # fmt: skip
    media_root = Path(settings.MEDIA_ROOT)
    if not replace:
        _refuse_unless_empty(media_root)
    staged = media_root.with_name(media_root.name + ".restoring")
    shutil.rmtree(staged, ignore_errors=True)
    try:
        copied = _copy_files(source / MEDIA, staged)
        if copied != media:
            raise BackupError(
                f"The backup's uploaded files are {_describe(copied)}; its manifest says "
                f"{_describe(media)}. Nothing was restored."
            )
        if connection.vendor == "sqlite":
            _restore_sqlite(source / SQLITE_FILE, tables, say)
        else:
            _restore_postgresql(source / POSTGRES_FILE, tables, replace=replace, say=say)
        with connection.cursor() as cursor:
            wrong = _differences(_counts(cursor, list(tables)), tables)
        if wrong:
            raise BackupError(f"After the restore, {wrong}. Restore again, with --replace.")
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    # The database is right; now the files take the place of any that were there.
    if media_root.exists():
        old = media_root.with_name(media_root.name + ".replaced")
        shutil.rmtree(old, ignore_errors=True)
        media_root.rename(old)
        shutil.rmtree(old)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staged.rename(media_root)
    say(f"Every table's rows are back ({sum(tables.values()):,} rows in {len(tables)} tables), "
        f"and the uploaded files ({_describe(media)}) are in {media_root}.")  # fmt: skip
    missing = unapplied_migrations(_applied_migrations())
    if missing:
        say(f"The backup is from an older version: run `thedeal migrate` next "
            f"({len(missing)} changes to the database to apply).")  # fmt: skip
    return manifest


def read_manifest(source: Path) -> dict:
    path = source / MANIFEST
    if not path.is_file():
        raise BackupError(f"{source} is not a backup folder: it has no {MANIFEST}.")
    try:
        manifest = json.loads(path.read_text())
        valid = (
            manifest["format"] == FORMAT
            and manifest["database"] in ("sqlite", "postgresql")
            and isinstance(manifest["made_at"], str)
            and all(isinstance(t, str) and type(n) is int and n >= 0
                    for t, n in manifest["tables"].items())
            and set(manifest["media"]) == {"files", "bytes"}
        )  # fmt: skip
    except (ValueError, KeyError, TypeError, AttributeError):
        valid = False
    if not valid:
        raise BackupError(f"{path} is not a manifest this version of The Deal can read.")
    return manifest


def _refuse_unless_empty(media_root: Path) -> None:
    with connection.cursor() as cursor:
        existing = connection.introspection.table_names(cursor)
    if existing:
        raise BackupError(
            f"The database is not empty: it has {len(existing)} tables. Restore into an empty "
            "database, or add --replace to replace everything in it with the backup."
        )
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(
            f"The uploaded files folder {media_root} is not empty. Restore into an empty one, "
            "or add --replace to replace its files with the backup's."
        )


def _restore_sqlite(path: Path, tables: dict[str, int], say: Say) -> None:
    backup = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        say("Checking the backup's database against its manifest ...")
        if backup.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"{path} is damaged (SQLite's check failed). Nothing was restored.")
        wrong = _differences(_sqlite_counts(backup), tables)
        if wrong:
            raise BackupError(f"In the backup, {wrong}. Nothing was restored.")
        say("Restoring the database ...")
        connection.ensure_connection()
        # In one step (pages=-1): SQLite replaces the whole database at once, or not at all.
        backup.backup(connection.connection, pages=-1)
    finally:
        backup.close()


def _restore_postgresql(path: Path, tables: dict[str, int], *, replace: bool, say: Say) -> None:
    say("Restoring the database with pg_restore and psql, in one transaction ...")
    # pg_restore turns the dump into SQL, streamed into psql inside one transaction. The
    # manifest's counts are checked before COMMIT, so a dump that is cut short, fails, or does not
    # match its manifest leaves the database as it was (psql stops at the first error, and the
    # server rolls back a transaction that never commits).
    checks = "".join(
        f"IF (SELECT count(*) FROM {connection.ops.quote_name(table)}) <> {count} THEN "
        f"RAISE EXCEPTION 'table {table.replace(chr(39), '')} does not have the "
        f"{count} rows the manifest lists'; END IF;\n"
        for table, count in tables.items()
    )
    clean = ["--clean", "--if-exists"] if replace else []
    env = _pg_environment()
    try:
        with tempfile.TemporaryFile() as dump_errors, tempfile.TemporaryFile() as psql_errors:
            dump = subprocess.Popen(
                ["pg_restore", "--no-owner", "--no-privileges", *clean, "--file=-", str(path)],
                stdout=subprocess.PIPE, stderr=dump_errors, env=env,
            )  # fmt: skip
            psql = subprocess.Popen(
                ["psql", "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--file=-"],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=psql_errors, env=env,
            )  # fmt: skip
            assert dump.stdout is not None and psql.stdin is not None
            try:
                psql.stdin.write(b"BEGIN;\n")
                shutil.copyfileobj(dump.stdout, psql.stdin)
                if dump.wait() == 0:
                    # The dump leaves search_path empty; the counts name tables as Django does.
                    psql.stdin.write(f"RESET search_path;\nDO $$ BEGIN\n{checks}END $$;\n"
                                     "COMMIT;\n".encode())  # fmt: skip
                psql.stdin.close()
            except BrokenPipeError:  # psql stopped at an error: it says which below
                pass
            dump.wait()
            psql.wait()
            for name, process, errors in (("pg_restore", dump, dump_errors),
                                          ("psql", psql, psql_errors)):  # fmt: skip
                if process.returncode != 0:
                    errors.seek(0)
                    message = errors.read().decode(errors="replace").strip()
                    raise BackupError(f"{name} failed, so nothing was restored: {message}")
    except FileNotFoundError as missing:
        raise BackupError(_client_missing(missing.filename or "pg_restore")) from None


# --- Shared ------------------------------------------------------------------------------------


def _sqlite_counts(db: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {name: db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def _counts(cursor, tables: list[str]) -> dict[str, int]:  # type: ignore[no-untyped-def]
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _differences(found: dict[str, int], expected: dict[str, int]) -> str:
    """A sentence naming the tables whose counts differ from the manifest's, or ""."""
    wrong = [
        f"table {table} has {found.get(table, 0):,} rows where the manifest lists {count:,}"
        if table in found
        else f"table {table} is missing"
        for table, count in expected.items()
        if found.get(table) != count
    ]
    extra = sorted(set(found) - set(expected))
    if extra:
        wrong.append(f"tables the manifest does not list are present ({', '.join(extra[:5])})")
    return "; ".join(wrong[:5]) + (f" (and {len(wrong) - 5} more)" if len(wrong) > 5 else "")


def _copy_files(source: Path, destination: Path) -> dict[str, int]:
    """Copy a folder of uploaded files (none if it does not exist); how many, and their size."""
    files = size = 0
    destination.mkdir(parents=True)
    if source.is_dir():
        for path in sorted(source.rglob("*")):
            if path.is_file():
                target = destination / path.relative_to(source)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
                files += 1
                size += target.stat().st_size
    return {"files": files, "bytes": size}


def _applied_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.recorder import MigrationRecorder

    return set(MigrationRecorder(connection).applied_migrations())


def _pg_environment() -> dict[str, str]:
    """libpq's variables for pg_dump, pg_restore and psql: the password never on a command line
    that `ps` would show."""
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"], "PGHOST": db["HOST"] or "",
           "PGPORT": str(db["PORT"] or ""), "PGUSER": db["USER"] or ""}  # fmt: skip
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    if sslmode := db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    return {key: value for key, value in env.items() if value != ""}


def _run(command: list[str], *, input: bytes | None = None) -> None:  # noqa: A002
    try:
        result = subprocess.run(command, env=_pg_environment(), input=input, capture_output=True)
    except FileNotFoundError:
        raise BackupError(_client_missing(command[0])) from None
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip()
        raise BackupError(f"{command[0]} failed, so nothing was changed: {message}")


def _client_missing(program: str) -> str:
    return (
        f"{program} was not found: install PostgreSQL's client programs (Debian: "
        "postgresql-client), of the server's version or newer."
    )


def _describe(media: dict[str, int]) -> str:
    return f"{media['files']:,} files, {media['bytes']:,} bytes"


def _vendor(vendor: str) -> str:
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(vendor, vendor)
