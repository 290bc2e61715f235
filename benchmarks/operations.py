"""What the logs and the health checks cost a request.

    PYTHONPATH=. .venv/bin/python benchmarks/operations.py [--records 20000]

Prints microseconds per log record through the configured console handler (its request id and
privacy filters, then the JSON and the text formatter, written to /dev/null), against a plain
handler with neither; and milliseconds per /healthz and /readyz answered in-process (Django's
test client, the SQLite database in THEDEAL_VAR_DIR, migrated first).
"""

from __future__ import annotations

import argparse
import copy
import logging
import logging.config
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")  # demo.env, a key of its own

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

LINES = [
    ("GET %s %s %sms", ("/services/", 200, 12.5)),
    ("Not Found: %s", ("/deal/pledges/nAMjPzFI2yeMLTnhKS5XBB_f291QvQYn/",)),
    ("Reminder to %s failed (%s)", ("sam@example.org", "WN1 1AA")),
    ("AXES: Successful login by %s.", ('{username: "****", path_info: "/accounts/sign-in/"}',)),
]


def per_record(records: int, *, configured: bool, fmt: str) -> float:
    config = {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"console": {"class": "logging.FileHandler", "filename": os.devnull}},
        "root": {"handlers": ["console"], "level": "INFO"},
    }
    if configured:
        config = copy.deepcopy(settings.LOGGING)
        config["handlers"]["console"].update(
            {"class": "logging.FileHandler", "filename": os.devnull, "formatter": fmt}
        )
    logging.config.dictConfig(config)
    logger = logging.getLogger("thedeal.benchmark")
    started = time.perf_counter()
    for i in range(records):
        message, args = LINES[i % len(LINES)]
        logger.info(message, *args)
    return (time.perf_counter() - started) / records * 1e6


def per_probe(path: str, probes: int) -> float:
    client = Client()
    client.get(path)  # the first reads the migrations from disk
    started = time.perf_counter()
    for _ in range(probes):
        assert client.get(path).status_code == 200
    return (time.perf_counter() - started) / probes * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--probes", type=int, default=500)
    options = parser.parse_args()
    plain = per_record(options.records, configured=False, fmt="")
    print(f"log record, plain handler (no filters):        {plain:7.1f} µs")
    for fmt in ("text", "json"):
        cost = per_record(options.records, configured=True, fmt=fmt)
        print(f"log record, configured handler, {fmt:4} format:  {cost:7.1f} µs")
    logging.disable(logging.CRITICAL)
    call_command("migrate", verbosity=0)
    for path in ("/healthz", "/readyz"):
        print(
            f"{path:8} answered in-process:               {per_probe(path, options.probes):7.2f} ms"
        )


if __name__ == "__main__":
    main()
