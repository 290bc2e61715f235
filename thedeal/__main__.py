"""The `thedeal` console command: the project's manage.py."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thedeal.settings")
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    try:
        execute_from_command_line(sys.argv)
    except DatabaseError:
        # On a new checkout or a new database every command but migrate finds no tables, and
        # Django's "no such table" traceback does not say that migrate is the answer.
        waiting = unapplied_migrations() if sys.argv[1:2] != ["migrate"] else 0
        if not waiting:
            raise
        sys.stderr.write(
            f"The database is not set up for this version of The Deal: {waiting} of its "
            "migrations are not applied yet. To apply them, run thedeal migrate, then run this "
            "command again.\n"
        )
        sys.exit(1)


def unapplied_migrations() -> int:
    """How many migrations the default database lacks; 0 if that cannot be told."""
    from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
    from django.db.migrations.executor import MigrationExecutor

    connection = connections[DEFAULT_DB_ALIAS]
    try:
        connection.close()  # PostgreSQL refuses queries in a transaction that has failed
        executor = MigrationExecutor(connection)
        return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return 0


if __name__ == "__main__":
    main()
