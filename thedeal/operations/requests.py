"""Requests refused before any view sees them."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse


class RefuseNulCharactersMiddleware:
    """A NUL character in a page's query string or in a request header is a bad request (400).

    No one types one, and PostgreSQL can neither store text holding it nor compare text with
    it: in a filter of the staff admin (?status__exact=%00) it was a server error, and so was
    one in the User-Agent or Accept header of a failed sign-in, which django-axes keeps (gunicorn
    refuses such headers itself; other servers do not). Forms refuse it in what they are sent;
    this refuses it everywhere else, once, rather than in each view and admin page. The ORUK
    feed checks its own parameters and answers in its own format (api/params.py).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        feed = settings.DIRECTORY_FEED_PATH
        if request.path == feed or request.path.startswith(feed + "/"):
            return self.get_response(request)
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("A NUL character in the query string")
        if any(
            name.startswith("HTTP_") and isinstance(value, str) and "\x00" in value
            for name, value in request.META.items()
        ):
            raise BadRequest("A NUL character in a request header")
        return self.get_response(request)
