from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from thedeal.directory import imports


class Command(BaseCommand):
    help = (
        "Import HSDS 3.0 data (a JSON document, a folder of them, or a CSV datapackage). "
        "All or nothing: on any problem nothing is written."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("path", type=Path, help="A .json file, a folder, or a datapackage.")
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Treat warnings (e.g. links to missing objects) as errors.",
        )

    def handle(self, *args, path: Path, strict: bool, **options):  # type: ignore[no-untyped-def]
        try:
            report = imports.import_path(path, strict=strict, progress=self.stderr.write)
        except imports.ImportFailed as error:
            raise CommandError(f"Nothing was imported from {path}:\n{error}") from None
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        summary = ", ".join(f"{count} {stem}" for stem, count in report.counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Imported {report.total} records from {path}: {summary}")
        )
