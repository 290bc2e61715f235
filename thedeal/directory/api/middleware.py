"""CORS for the open feed: every response under /api/directory/, errors and the OpenAPI
document included, may be read by a web page anywhere (ORUK asks for this)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class OpenFeedCorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        feed = settings.DIRECTORY_FEED_PATH
        if request.path == feed or request.path.startswith(feed + "/"):
            response["Access-Control-Allow-Origin"] = "*"
            if request.method == "OPTIONS":
                response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
                response["Access-Control-Allow-Headers"] = "Accept, Content-Type"
                response["Access-Control-Max-Age"] = "86400"
        return response
