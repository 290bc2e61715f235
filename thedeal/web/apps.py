from django.apps import AppConfig


class WebConfig(AppConfig):
    """An app only so that its template (the rate limiter's 429 page) is found beside it."""

    name = "thedeal.web"
    verbose_name = "Shared web pieces"
