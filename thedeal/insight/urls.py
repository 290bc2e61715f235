from django.urls import path  # noqa: F401 (the pages are added by the insight views)

from thedeal.insight import ledger_urls

app_name = "insight"

urlpatterns: list = []
urlpatterns += ledger_urls.urlpatterns
