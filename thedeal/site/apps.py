from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The resident-facing site's frame: the layout, home page and the pages every council
    service must have (accessibility statement, privacy notice, cookies)."""

    name = "thedeal.site"
    verbose_name = "Public site"
