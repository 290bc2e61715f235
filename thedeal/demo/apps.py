from django.apps import AppConfig


class DemoConfig(AppConfig):
    """An app only so that Django finds its `load_demo` command."""

    name = "thedeal.demo"
    verbose_name = "Demo borough"
