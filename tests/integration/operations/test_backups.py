"""Backing up and restoring the whole database and the uploaded files, as an officer would:
`thedeal backup DIR` on the running site, `thedeal restore DIR` into an empty database."""

import io
import json
import os
import pathlib
import sqlite3
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories import directory as factories
from thedeal.deal import actions, demo
from thedeal.deal.models import PledgeType

# Written through the site: the backup is read by other connections (pg_dump, SQLite's backup).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
CHECKOUT = pathlib.Path(__file__).parents[3]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "investment").mkdir(parents=True)
    (settings.MEDIA_ROOT / "investment" / "bid.pdf").write_bytes(b"%PDF-1.7 a bid" * 100)
    (settings.MEDIA_ROOT / "logo.png").write_bytes(b"\x89PNG not really")
    return settings.MEDIA_ROOT


def fill_the_site():
    """Something in every app: the directory, pledges and check-ins, accounts, reports."""
    call_command("load_demo", services=20, seed=3, no_people=True, stdout=io.StringIO(),
                 stderr=io.StringIO())  # fmt: skip
    demo.load(seed=1)
    keep_active = PledgeType.objects.get(slug="keep-active")
    pledge, _ = actions.make_pledge(pledge_type=keep_active, email="sam@example.org",
                                    reminders=True)  # fmt: skip
    actions.check_in(pledge, "well")
    from django.contrib.auth.models import User

    User.objects.create_user("priya@example.org", password="correct horse battery staple")
    factories.ServiceAtLocationFactory(service__name="Café “Ünïcode” — club")


def restore(backup, database_url, var_dir, *extra):
    """`thedeal restore` in a fresh process, configured for another database."""
    env = {**os.environ, "DATABASE_URL": database_url, "THEDEAL_VAR_DIR": str(var_dir)}
    env.pop("THEDEAL_REQUIRE_POSTGRES", None)
    return subprocess.run(
        [sys.executable, "-m", "thedeal", "restore", str(backup), *extra],
        env=env, cwd=CHECKOUT, capture_output=True, text=True,
    )  # fmt: skip


@pytest.fixture
def empty_database(tmp_path):
    """A second, empty database of the same kind as the site's: its URL and a way to read it."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        # Django's converters, so that values read back exactly as from the site's database.
        yield (
            f"sqlite:///{path}",
            lambda: sqlite3.connect(
                path, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
            ),
        )
        return
    import psycopg

    settings = connection.settings_dict
    name = f"{settings['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    user, host, port = settings["USER"], settings["HOST"], settings["PORT"] or 5432
    auth = f"{user}:{settings['PASSWORD']}" if settings["PASSWORD"] else user
    url = f"postgres://{auth}@{host}:{port}/{name}"
    opened = []

    def connect():
        from psycopg.types.string import TextLoader

        conn = psycopg.connect(url.replace("postgres://", "postgresql://", 1))
        # JSON read back as its text, as Django's own connection reads it (the site's side of
        # the comparison), not parsed into lists and dicts.
        for json_type in ("json", "jsonb"):
            conn.adapters.register_loader(json_type, TextLoader)
        opened.append(conn)
        return conn

    yield url, connect
    for conn in opened:
        conn.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def every_row(conn, tables):
    cursor = conn.cursor()
    rows = {}
    for table in tables:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


def site_tables():
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def test_a_backup_restored_into_an_empty_database_has_every_row_and_file(
    tmp_path, media, empty_database
):
    fill_the_site()
    backup = tmp_path / "backup-2026-12-07"
    out = io.StringIO()

    call_command("backup", str(backup), stdout=out)

    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["tables"]["deal_pledge"] == 1 and manifest["media"]["files"] == 2
    assert "Backed up" in out.getvalue()
    url, connect = empty_database
    restored_var = tmp_path / "restored-var"
    result = restore(backup, url, restored_var)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Every table's rows are back" in result.stdout

    tables = site_tables()
    assert len(tables) > 40
    expected = every_row(connection.connection, tables)
    assert every_row(connect(), tables) == expected
    assert sum(len(rows) for rows in expected.values()) > 500
    restored_media = restored_var / "media"
    assert (restored_media / "investment" / "bid.pdf").read_bytes() == (
        media / "investment" / "bid.pdf"
    ).read_bytes()
    assert (restored_media / "logo.png").exists()


def test_restore_refuses_a_database_that_is_not_empty_and_changes_nothing(
    tmp_path, media, empty_database
):
    demo.load(seed=1)
    backup = tmp_path / "backup"
    call_command("backup", str(backup), stdout=io.StringIO())
    url, connect = empty_database
    assert restore(backup, url, tmp_path / "var").returncode == 0
    conn = connect()
    cursor = conn.cursor()
    cursor.execute("DELETE FROM deal_pledgetype WHERE slug = 'keep-active'")
    conn.commit()

    again = restore(backup, url, tmp_path / "var")

    assert again.returncode != 0
    assert "The database is not empty" in again.stderr and "--replace" in again.stderr
    cursor.execute("SELECT count(*) FROM deal_pledgetype WHERE slug = 'keep-active'")
    assert cursor.fetchone()[0] == 0  # left as it was
    conn.commit()

    replaced = restore(backup, url, tmp_path / "var", "--replace")
    assert replaced.returncode == 0, replaced.stderr
    cursor.execute("SELECT count(*) FROM deal_pledgetype WHERE slug = 'keep-active'")
    assert cursor.fetchone()[0] == 1


def test_a_backup_that_does_not_match_its_manifest_is_refused(tmp_path, media, empty_database):
    demo.load(seed=1)
    backup = tmp_path / "backup"
    call_command("backup", str(backup), stdout=io.StringIO())
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["tables"]["deal_pledgetype"] += 1
    (backup / "manifest.json").write_text(json.dumps(manifest))
    url, connect = empty_database

    result = restore(backup, url, tmp_path / "var")

    assert result.returncode != 0
    assert "deal_pledgetype" in result.stderr
    cursor = connect().cursor()
    # Nothing half-written: the database is as empty as before.
    if connection.vendor == "sqlite":
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
    else:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    assert cursor.fetchone()[0] == 0
    assert not (tmp_path / "var" / "media").exists()


def test_backup_will_not_write_into_a_folder_that_has_files(tmp_path):
    backup = tmp_path / "backup"
    backup.mkdir()
    (backup / "notes.txt").write_text("mine")

    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="already has files in it"):
        call_command("backup", str(backup), stdout=io.StringIO())
    assert [p.name for p in backup.iterdir()] == ["notes.txt"]
