"""`thedeal restore DIR`: a backup back into an empty database, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from thedeal.operations.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `thedeal backup` into this server's database and MEDIA_ROOT, "
        "all or nothing, then check every table's rows. Stop the site and the worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="the backup folder")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace what is in the database and MEDIA_ROOT (otherwise both must be empty)",
        )

    def handle(self, *args, **options):
        try:
            restore(options["folder"], replace=options["replace"], say=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
