"""The audit log is append-only in the database too, not only in the model: an UPDATE of an
audit row is refused on both engines, and a DELETE on PostgreSQL.

SQLite keeps only the UPDATE trigger: emptying a table on SQLite is a row-by-row DELETE (Django's
`flush`, which the test suite's transactional tests and `restore` use), so a DELETE trigger there
would refuse that too. On PostgreSQL `flush` is a TRUNCATE, which row triggers do not see.
Deleting a row is refused by the model and its queryset on both (casework.models.AuditEvent).
"""

from django.db import migrations

MESSAGE = "casework_auditevent is append-only"

SQLITE = [
    f"""CREATE TRIGGER casework_auditevent_no_update BEFORE UPDATE ON casework_auditevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_UNDO = ["DROP TRIGGER IF EXISTS casework_auditevent_no_update"]

POSTGRESQL = [
    f"""CREATE FUNCTION casework_auditevent_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$""",
    """CREATE TRIGGER casework_auditevent_no_change BEFORE UPDATE OR DELETE ON casework_auditevent
    FOR EACH ROW EXECUTE FUNCTION casework_auditevent_refuse()""",
]
POSTGRESQL_UNDO = [
    "DROP TRIGGER IF EXISTS casework_auditevent_no_change ON casework_auditevent",
    "DROP FUNCTION IF EXISTS casework_auditevent_refuse()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_UNDO, "postgresql": POSTGRESQL_UNDO}),
        )
    ]
