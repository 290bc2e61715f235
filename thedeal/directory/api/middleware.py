"""CORS for the open feed: every response under /api/directory/, errors and the OpenAPI
document included, may be read by a web page anywhere (ORUK asks for this)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

FEED_PREFIX = "/api/directory"


class OpenFeedCorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path == FEED_PREFIX or request.path.startswith(FEED_PREFIX + "/"):
            response["Access-Control-Allow-Origin"] = "*"
            if request.method == "OPTIONS":
                response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
                response["Access-Control-Allow-Headers"] = "Accept, Content-Type"
                response["Access-Control-Max-Age"] = "86400"
        return response
