"""`thedeal load_demo`: the synthetic demo borough, each app's part loaded in layer order (the
directory first, then the apps that use it), each by the app's own demo generator."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from thedeal.accounts import demo as accounts_demo
from thedeal.casework import demo as casework_demo
from thedeal.casework import demo_teams, outreach_demo
from thedeal.casework import demo_work as casework_demo_work
from thedeal.deal import demo as deal_demo
from thedeal.directory import imports
from thedeal.directory.models import Service
from thedeal.insight import demo as insight_demo
from thedeal.prevention import demo as prevention_demo


class Command(BaseCommand):
    help = (
        "Load the demo borough: a synthetic directory (organisations, services, places) on the "
        "real postcodes of the borough, then the Deal's commitments and pledges, then casework's "
        "synthetic people and GP practices, a prevention worklist scored on a synthetic "
        "borough for outreach, the borough's indicators computed from a synthetic borough with a "
        "prevention programme, then one person to sign in as for each role. The same seed "
        "gives the same data."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--seed", type=int, default=0, help="Random seed (default 0).")
        parser.add_argument(
            "--services", type=int, default=1500, help="How many services (default 1,500)."
        )
        parser.add_argument(
            "--casework-people",
            type=int,
            default=300,
            help="How many synthetic people on the practitioners' casework (default 300; 0 for none).",
        )
        parser.add_argument(
            "--worklist-residents",
            type=int,
            default=None,
            help="How many synthetic residents to score for outreach's worklist (default "
            "DEMO_WORKLIST_RESIDENTS, 5,000; 0 for no worklist). At least 1,000.",
        )
        parser.add_argument(
            "--no-people",
            action="store_true",
            help="Make no accounts to sign in as (for a demo whose people register themselves).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Leave the directory as it is if it already has services (`make run` does).",
        )

    def handle(
        self,
        *args,
        seed: int,
        services: int,
        if_empty: bool,
        no_people: bool,
        casework_people: int,
        worklist_residents: int | None,
        **options,
    ):  # type: ignore[no-untyped-def]
        if services < 1:
            raise CommandError("--services must be at least 1.")
        if casework_people < 0:
            raise CommandError("--casework-people must be 0 or more.")
        if worklist_residents is None:
            worklist_residents = settings.DEMO_WORKLIST_RESIDENTS
        if 0 < worklist_residents < 1000:
            # Fewer, and too few are admitted in a year for the model to learn from.
            raise CommandError(
                f"--worklist-residents must be 0 or at least 1,000 (got {worklist_residents:,})."
            )
        self._directory(seed=seed, services=services, if_empty=if_empty)
        self.stderr.write("The Deal: commitments and the pledge catalogue")
        # Idempotent: what is there already is kept.
        deal_demo.load(seed=seed)
        self.stdout.write(self.style.SUCCESS("Loaded the Deal's commitments and pledges."))
        self._casework(seed=seed, people=casework_people)
        # After the directory (a worklist suggests its services), before outreach's names.
        self._worklist(residents=worklist_residents)
        self._insight(residents=settings.DEMO_INSIGHT_RESIDENTS)
        if casework_people and (named := outreach_demo.load(progress=self.stderr.write)):
            self.stdout.write(
                self.style.SUCCESS(f"Named the worklists' {named:,} residents for outreach.")
            )
        if no_people:
            pass
        elif not settings.DEMO_PEOPLE:
            self.stdout.write(
                "No accounts to sign in as: DEMO_PEOPLE is off (demo.env turns it on)."
            )
        else:
            self._people()
        # After the personas: the practitioner holds the conversations, and the editor's
        # organisation has referrals waiting in its inbox.
        self._casework_work(seed=seed)

    def _casework_work(self, *, seed: int) -> None:
        self.stderr.write("Casework: conversations, plans and referrals")
        loaded = casework_demo_work.load(seed=seed)
        if loaded.referrals or loaded.conversations:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {loaded.conversations:,} conversations and {loaded.referrals:,} "
                    "referrals for casework."
                )
            )

    def _casework(self, *, seed: int, people: int) -> None:
        if not people:
            return
        self.stderr.write("Casework: synthetic people and GP practices")
        added = casework_demo.load(seed=seed, people=people)
        if added:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {added:,} synthetic people for casework (test-range NHS numbers)."
                )
            )
        else:
            self.stdout.write("Casework already has people; none were added.")

    def _worklist(self, *, residents: int) -> None:
        if not residents:
            return
        self.stderr.write("Prevention: a worklist for outreach, scored on a synthetic borough")
        started = time.monotonic()
        loaded = prevention_demo.load(
            folder=settings.VAR_DIR / "demo-prevention",
            residents=residents,
            progress=lambda step: self.stderr.write(f"{step} ({time.monotonic() - started:.1f} s)"),
        )
        if loaded is None:
            self.stdout.write("Prevention already has worklists; no demo worklist was made.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Scored {loaded.residents_scored:,} synthetic residents and put the "
                f"{loaded.worklist.size} at highest risk on a worklist for outreach in "
                f"{time.monotonic() - started:.1f} s."
            )
        )

    def _insight(self, *, residents: int) -> None:
        if not residents:
            return
        self.stderr.write("Insight: the borough's indicators, computed from a synthetic borough")
        started = time.monotonic()
        loaded = insight_demo.load(
            folder=settings.VAR_DIR / "demo-insight",
            residents=residents,
            progress=lambda step: self.stderr.write(f"{step} ({time.monotonic() - started:.1f} s)"),
        )
        if loaded is None:
            self.stdout.write("Insight already has computed indicators; the demo's were not made.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Computed {loaded.batch.rows:,} indicator values from {residents:,} synthetic "
                f"residents in {time.monotonic() - started:.1f} s."
            )
        )
        if loaded.evaluation is not None:
            primary = loaded.evaluation.result["primary"]
            self.stdout.write(
                f"Evaluated the demo's programme (relative risk {primary['relative_risk']:.2f}) "
                "and published it on /insight/achieved/ with illustrative costs."
            )

    def _people(self) -> None:
        self.stderr.write("People to sign in as, one for each role")
        loaded = accounts_demo.load()
        leads = outreach_demo.make_outreach_leads()
        # Casework's teams need their practitioners: made now, with the demo's people split
        # between their caseloads.
        placed = demo_teams.load()
        if placed:
            self.stdout.write(
                f"Put {placed:,} people in the caseloads of two teams of practitioners."
            )
        if loaded.password is None:
            self.stdout.write(
                "The demo's people are there already; their passwords are as they were "
                "(`thedeal changepassword EMAIL` sets a new one)."
            )
            return
        lines = [
            f"Sign in at /accounts/sign-in/ as any of these, with the password {loaded.password}"
        ]
        for persona in accounts_demo.PERSONAS:
            does = persona.does
            if persona.role == accounts_demo.Role.EDITOR and loaded.editor_organisation:
                does += f" ({loaded.editor_organisation})"
            lines.append(f"  {persona.username:<22} {persona.name}, {does}")
        lines.append(f"  Outreach leads (may re-identify a worklist entry): {', '.join(leads)}")
        lines.append("The password is shown only now; `thedeal changepassword EMAIL` sets another.")
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))

    def _directory(self, *, seed: int, services: int, if_empty: bool) -> None:
        self.stderr.write(f"The directory of {settings.COUNCIL['name']}")
        if if_empty and Service.objects.exists():
            self.stdout.write(
                "The directory already has services; the demo borough was not loaded."
            )
            return
        started = time.monotonic()
        try:
            report = imports.import_demo(
                seed=seed, services=services, as_of=timezone.localdate(), progress=self.stderr.write
            )
        except imports.ImportFailed as error:  # pragma: no cover  (the generator is tested)
            raise CommandError(f"The generated demo data did not import:\n{error}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the demo borough: {report.counts.get('services', 0):,} services from "
                f"{report.counts.get('organizations', 0):,} organisations at "
                f"{report.counts.get('locations', 0):,} locations in {time.monotonic() - started:.1f} s."
            )
        )
