"""`thedeal insight import|compute|evaluate`: load indicator values from a Fingertips download,
compute the borough's own indicators from its linked data, and estimate the programme's effect.

Each subcommand's arguments and work live in its own module (`insight.cli_import`,
`cli_compute`, `cli_evaluate`), each with `add_arguments(parser)` and `run(command, options)`;
this command only chooses between them.
"""

from __future__ import annotations

from importlib import import_module

from django.core.management.base import BaseCommand, CommandParser

SUBCOMMANDS = {
    "import": ("thedeal.insight.cli_import", "Load indicator values from a Fingertips data file."),
    "compute": (
        "thedeal.insight.cli_compute",
        "Compute the borough's indicators from its linked data.",
    ),
    "evaluate": (
        "thedeal.insight.cli_evaluate",
        "Estimate the prevention programme's effect on emergency admissions.",
    ),
}


class Command(BaseCommand):
    help = "Indicators by place and time, and the evaluation of the Deal."

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        for name, (module, help_text) in SUBCOMMANDS.items():
            sub = subparsers.add_parser(name, help=help_text, description=help_text)
            import_module(module).add_arguments(sub)

    def handle(self, *args, subcommand: str, **options) -> None:
        module, _ = SUBCOMMANDS[subcommand]
        import_module(module).run(self, options)
