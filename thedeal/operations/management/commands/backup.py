"""`thedeal backup DIR`: the database and the uploaded files, safe while the site runs."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from thedeal.operations.backups import BackupError, back_up


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files (MEDIA_ROOT) into a new folder, with a "
        "manifest of every table's rows. Safe while the site runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="a new (or empty) folder for the backup")

    def handle(self, *args, **options):
        try:
            back_up(options["folder"], say=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Backed up to {options['folder']}."))
