"""Requests refused before any view sees them."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

from thedeal.directory.api.middleware import FEED_PREFIX


class RefuseNulInAddressMiddleware:
    """A NUL character in a page's query string is a bad request (400), for every page.

    No one types one, and PostgreSQL cannot compare text with it: in a filter of the staff
    admin (?status__exact=%00) it was a server error. Forms refuse it in what they are sent;
    this refuses it in the address, once, rather than in each view and admin page. The ORUK
    feed checks its own parameters and answers in its own format (api/params.py).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        feed = request.path == FEED_PREFIX or request.path.startswith(FEED_PREFIX + "/")
        if not feed and any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("A NUL character in the query string")
        return self.get_response(request)
