"""Fuzz the Open Referral UK feed against its own OpenAPI document, in full, with schemathesis.

The test suite runs a bounded version of this (tests/integration/directory/test_feed_fuzz.py:
a few examples an operation, so CI stays fast). This script runs every phase (examples,
coverage, fuzzing, stateful) with every check and many more examples, against the feed served
in-process (WSGI) from a fresh SQLite database holding the synthetic demo borough, and prints:

- the operations tested and the cases sent;
- the failing cases, by check (a case that breaks two checks counts once in the total);
- the first failures of each check, with the request that shows them.

Exclusions come from schemathesis.toml at the repository root, as for the tests; nothing else
is excluded here. Run from the repository root:

    .venv/bin/python benchmarks/fuzz_feed.py [--examples 25] [--services 300] [--seed 1]
"""

from __future__ import annotations

import argparse
import collections
import io
import os
import sys
import tempfile
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHOW_PER_CHECK = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=25, help="examples an operation")
    parser.add_argument("--services", type=int, default=300, help="services in the demo borough")
    parser.add_argument("--seed", type=int, default=1, help="the run's seed (same seed, same run)")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="fuzz-feed-")
    # Before Django starts: a database and cache of our own, and no rate limit in the way.
    os.environ.setdefault("THEDEAL_ENV_FILE", str(REPO / "demo.env"))
    os.environ["DATABASE_URL"] = f"sqlite:///{work}/fuzz.sqlite3"
    os.environ["THEDEAL_VAR_DIR"] = work
    os.environ["DIRECTORY_API_RATE_LIMIT"] = "100000000/min"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")  # demo.env, a key of its own
    sys.path.insert(0, str(REPO))
    os.chdir(REPO)

    import django

    django.setup()
    import logging

    # Every refusal is a "Bad Request" warning in Django's log: thousands of lines, no news.
    logging.disable(logging.WARNING)
    from django.core.management import call_command

    started = time.monotonic()
    quiet = io.StringIO()
    call_command("migrate", verbosity=0, stdout=quiet)
    call_command("load_demo", services=args.services, seed=7, stdout=quiet, stderr=quiet)
    print(f"demo borough of {args.services} services loaded in {time.monotonic() - started:.0f} s")

    import schemathesis
    from schemathesis.engine import Status, events, from_schema

    from thedeal.wsgi import application

    config = _config(args.examples, args.seed)
    schema = schemathesis.openapi.from_wsgi(
        "/api/directory/openapi.json", application, config=config
    )

    operations: set[str] = set()
    cases = 0
    failing_cases: set[str] = set()
    dropped = 0
    by_check: collections.Counter[str] = collections.Counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)
    errors: list[str] = []
    started = time.monotonic()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            recorder = event.recorder
            operations.add(recorder.label)
            cases += len(recorder.cases)
            dropped += sum(recorder.filtered_failures.values())
            for case_id, checks in recorder.checks.items():
                failed = {c.name: c for c in checks if c.status == Status.FAILURE}
                if failed:
                    failing_cases.add(case_id)
                for name, check in failed.items():
                    by_check[name] += 1
                    if len(examples[name]) < SHOW_PER_CHECK and check.failure_info is not None:
                        case = recorder.cases[case_id].value
                        examples[name].append(
                            f"{case.method} {case.formatted_path} {case.query or ''}: "
                            f"{check.failure_info.failure.title}: "
                            f"{check.failure_info.failure.message}"
                        )
        elif isinstance(event, events.NonFatalError):
            errors.append(f"{event.label}: {event.value!r}"[:300])
        elif isinstance(event, events.FatalError):
            raise SystemExit(f"schemathesis stopped: {event.exception!r}")
    elapsed = time.monotonic() - started

    print(
        f"schemathesis {schemathesis.__version__}, {args.examples} examples an operation, "
        f"seed {args.seed}, {elapsed:.0f} s"
    )
    print(f"operations: {len(operations)}")
    print(f"cases:      {cases}")
    print(f"failing:    {len(failing_cases)}")
    for name, count in sorted(by_check.items(), key=lambda item: (-item[1], item[0])):
        print(f"  {name:<34} {count}")
    print(f"dropped as documented refusals (schemathesis.toml): {dropped}")
    print(f"errors:     {len(errors)}")
    for line in errors[:10]:
        print(f"  {line}")
    for name, lines in sorted(examples.items()):
        print(f"\nfirst failures of {name}:")
        for line in lines:
            # The request, then why it failed (the end of the message), each cut short.
            print(f"  {line[:300]}")
            if len(line) > 300:
                print(f"  ... {line[-300:]}")


def _config(examples: int, seed: int):  # type: ignore[no-untyped-def]
    """schemathesis.toml (the exclusions) with every check on and more examples."""
    import schemathesis

    path = REPO / "schemathesis.toml"
    data = tomllib.loads(path.read_text()) if path.exists() else {}
    data["seed"] = seed
    # Every failure, not only the first of each operation: the counts are the measure.
    data["continue-on-failure"] = True
    data.setdefault("generation", {}).update({"max-examples": examples, "deterministic": True})
    data.setdefault("checks", {})["enabled"] = True
    # In-process (WSGI) responses arrive as the server sends them, and nothing un-gzips them as
    # an HTTP client would: ask for them uncompressed.
    data.setdefault("headers", {})["Accept-Encoding"] = "identity"
    return schemathesis.Config.from_dict(data, base_dir=str(REPO))


if __name__ == "__main__":
    main()
