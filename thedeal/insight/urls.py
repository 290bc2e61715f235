from django.urls import path  # noqa: F401 (the pages are added by the insight views)

app_name = "insight"

urlpatterns: list = []
