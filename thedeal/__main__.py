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
        from thedeal.operations.health import not_migrated_message

        message = not_migrated_message() if sys.argv[1:2] != ["migrate"] else None
        if message is None:
            raise
        sys.stderr.write(message + "\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
