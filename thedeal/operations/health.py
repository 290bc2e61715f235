"""/healthz and /readyz, for load balancers and systemd.

Answered by the first middleware, before anything else runs: no HTTPS redirect, no host check
(a load balancer probes by address), no session, no rate limit and no access log line every few
seconds. The task worker's health is not checked here (`thedeal worker_status` does that), so a
stopped worker never takes the web servers out of service.
"""

from __future__ import annotations

import functools
import json
import logging
import secrets
from collections.abc import Callable

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

PATHS = ("/healthz", "/readyz")


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info not in PATHS:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = HttpResponse(status=405)
            response["Allow"] = "GET, HEAD"
            return response
        if request.path_info == "/healthz":
            status, body = 200, {"status": "ok"}
        else:
            checks = readiness()
            ready = all(result == "ok" for result in checks.values())
            status = 200 if ready else 503
            body = {"status": "ok" if ready else "unavailable", "checks": checks}
        response = HttpResponse(
            b"" if request.method == "HEAD" else json.dumps(body).encode(),
            status=status,
            content_type="application/json",
        )
        response["Cache-Control"] = "no-store"
        return response


def readiness() -> dict[str, str]:
    """Each check's result: "ok", or a short phrase saying what is wrong. Never an error's own
    text, which may name hosts or users: that goes to the log."""
    checks = {"database": "ok", "cache": "ok", "migrations": "ok"}
    try:
        applied = set(MigrationRecorder(connection).applied_migrations())
    except Exception as error:
        logger.error("Readiness: the database is unreachable (%s)", type(error).__name__)
        checks["database"] = "unreachable"
        checks["migrations"] = "unknown"
    else:
        missing = unapplied_migrations(applied)
        if missing:
            checks["migrations"] = "not applied: " + ", ".join(missing[:5])
            if len(missing) > 5:
                checks["migrations"] += f" and {len(missing) - 5} more"
    try:
        nonce = secrets.token_hex(8)
        cache.set("readyz", nonce, timeout=30)
        if cache.get("readyz") != nonce:
            raise RuntimeError("the cache did not keep a value")
    except Exception as error:
        logger.error("Readiness: the cache is unreachable (%s)", type(error).__name__)
        checks["cache"] = "unreachable"
    return checks


def unapplied_migrations(applied: set[tuple[str, str]]) -> list[str]:
    """The code's migrations that the database has not recorded, as app.name."""
    nodes, replacements = _migrations_in_code()
    return sorted(
        f"{app}.{name}"
        for app, name in nodes
        if (app, name) not in applied
        # A squashed migration counts as applied when everything it replaces was.
        and not ((app, name) in replacements and replacements[(app, name)] <= applied)
    )


def not_migrated_message() -> str | None:
    """What to do, if the database lacks migrations this code has: for commands that need it."""
    if not connection.in_atomic_block:
        # After an error, PostgreSQL refuses queries until the connection's transaction ends.
        connection.close()
    try:
        waiting = len(unapplied_migrations(set(MigrationRecorder(connection).applied_migrations())))
    except DatabaseError:
        return None  # unreachable, say: the command's own error says so
    if not waiting:
        return None
    return (
        f"The database is not set up for this version of The Deal: {waiting} of its migrations "
        "are not applied yet. To apply them, run thedeal migrate, then run this command again."
    )


# The code cannot change under a running process, so its migrations are read from disk once;
# each probe then costs one query (the database's record of applied migrations).
@functools.cache
def _migrations_in_code() -> tuple[frozenset[tuple[str, str]], dict[tuple[str, str], set]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    replacements = {key: set(m.replaces) for key, m in loader.replacements.items()}
    return frozenset(loader.graph.nodes), replacements
