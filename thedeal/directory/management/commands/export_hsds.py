from pathlib import Path

from django.core.management.base import BaseCommand

from thedeal.directory import exports


class Command(BaseCommand):
    help = (
        "Export the directory as HSDS 3.0 into a folder: a CSV datapackage (--format csv) or "
        "services.json and organizations.json (--format json). Public unless --include-confidential."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("path", type=Path, help="The folder to write (created if needed).")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument(
            "--include-confidential",
            action="store_true",
            help="A full staff backup: keeps refuges and safe houses, marked confidential. Never publish it.",
        )

    def handle(self, *args, path: Path, format: str, include_confidential: bool, **options):  # type: ignore[no-untyped-def]  # noqa: A002
        export = exports.export_csv if format == "csv" else exports.export_json
        counts = export(path, include_confidential=include_confidential)
        summary = ", ".join(f"{count} {stem}" for stem, count in counts.items() if count)
        kind = (
            "staff backup (contains confidential locations)"
            if include_confidential
            else "public export"
        )
        self.stdout.write(self.style.SUCCESS(f"Wrote a {kind} to {path}: {summary}"))
