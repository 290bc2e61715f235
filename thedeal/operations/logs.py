"""The logs: a request id on every line, one JSON object a line in production, and nothing that
identifies a resident or opens their pledge or account.

Every record passes through the console handler's two filters: RequestIdFilter adds the id of
the request being served, and PrivacyFilter rewrites the message (and any traceback) so that
email addresses, postcodes, query strings and secret parts of paths (a pledge's private link, a
password reset token) never reach the log. The access log logs a page by its route
("/deal/pledges/<key>/") whenever its path carries anything but ids and slugs.
"""

from __future__ import annotations

import contextvars
import datetime
import functools
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils.encoding import escape_uri_path

REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
# An id a proxy or load balancer set (X-Request-ID) is kept if it looks like one.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=+/-]{0,127}")
# Path parameters that are ids or names of public things; any other is logged by its name only.
PUBLIC_CONVERTERS = {"int", "uuid", "slug"}

access_log = logging.getLogger("thedeal.access")


class RequestLogMiddleware:
    """Gives each request an id (returned as X-Request-ID) and logs one line when it is done."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = REQUEST_ID.set(request_id)
        # Also on the request: Django logs a 404 or 500 after every middleware has returned.
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            method = request.method if (request.method or "").isalpha() else "OTHER"
            path = loggable_path(request.path_info, request.resolver_match)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            access_log.info(
                "%s %s %s %sms", method, path, response.status_code, duration_ms,
                extra={"method": method, "path": path, "status": response.status_code,
                       "duration_ms": duration_ms},
            )  # fmt: skip
            return response
        finally:
            REQUEST_ID.reset(token)


def loggable_path(path: str, match: ResolverMatch | None = None) -> str:
    """The path itself if every parameter in it is an id or a slug; else its route with the
    parameters' names. A path that matches no page is cut to its first part, since what a
    visitor types there could be anything."""
    if match is None:
        try:
            match = resolve(path)
        except Resolver404:
            first, _, rest = path.lstrip("/").partition("/")
            return f"/{first}/…" if rest else f"/{first}"
    route = match.route or ""
    converters = [kind or "str" for kind, _ in re.findall(r"<(?:(\w+):)?(\w+)>", route)]
    if "(?P<" not in route and all(kind in PUBLIC_CONVERTERS for kind in converters):
        return path
    named = re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", route)
    named = re.sub(r"\(\?P<(\w+)>.*?\)(?=/|\$|$)", r"<\1>", named)
    return "/" + named.replace("^", "").removesuffix("$")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or REQUEST_ID.get() or "-"
        return True


EMAIL = re.compile(r"[\w.+'-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+")
# A UK postcode, with a space, a plus or %20 between its halves, or none.
POSTCODE = re.compile(
    r"\b[A-Z]{1,2}[0-9][A-Z0-9]?(?:\s*|\+|%20)[0-9][A-Z]{2}\b", flags=re.IGNORECASE
)
QUERY_STRING = re.compile(r"(/[^\s?\"'<>]*)\?[^\s\"'<>]+")
PATH = re.compile(r"(?<![\w.])/(?:[\w.~%:@!$&*+,;=-]+/?)+")
_redacting = threading.local()


def redact(text: str) -> str:
    """The text without email addresses, postcodes, query strings or secrets in paths."""
    text = QUERY_STRING.sub(r"\1?[query]", text)
    text = EMAIL.sub("[email]", text)
    text = POSTCODE.sub("[postcode]", text)
    return PATH.sub(_private_route, text)


def _private_route(found: re.Match[str]) -> str:
    """A path in a message that is a page with a secret in it becomes that page's route; any
    other (a file in a traceback, a page that matches nothing) is left as it is."""
    if getattr(_redacting, "busy", False):
        return found.group(0)
    _redacting.busy = True  # resolving may import the URLs, which may log
    try:
        return _route_of(found.group(0))
    finally:
        _redacting.busy = False


# The same paths come up again and again (the access log's own); resolving one costs ~50 µs.
@functools.lru_cache(maxsize=4096)
def _route_of(path: str) -> str:
    try:
        match = resolve(path)
    except Exception:
        return path
    return loggable_path(path, match)


class PrivacyFilter(logging.Filter):
    """Rewrites each record's message and traceback through redact()."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            message = f"{record.msg} (with arguments that did not fit)"
        request = getattr(record, "request", None)
        # Django's own lines about a request (Not Found, Bad Request) quote its path, as it is,
        # %-escaped, or \-escaped (django.utils.log.log_response).
        if isinstance(request, HttpRequest) and request.path:
            safe = loggable_path(request.path_info)
            path = request.path
            for quoted in {path, escape_uri_path(path), path.encode("unicode_escape").decode()}:
                message = message.replace(quoted, safe)
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


# What a line may carry besides its message: never the request itself (cookies, headers).
FIELDS = ("method", "path", "status", "duration_ms", "status_code")


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, request_id, the access log's
    fields and any exception's traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        entry.update({key: getattr(record, key) for key in FIELDS if hasattr(record, key)})
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def task_started(sender, task_result, **kwargs) -> None:  # type: ignore[no-untyped-def]
    """The task worker's lines about a task, and the task's own, carry "task-<its id>"."""
    REQUEST_ID.set(f"task-{task_result.id}")


def task_finished(sender, task_result, **kwargs) -> None:  # type: ignore[no-untyped-def]
    REQUEST_ID.set(None)
