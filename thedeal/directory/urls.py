"""The directory's public pages (the feed's URLs are in api/urls.py)."""

from django.urls import path

from thedeal.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.search, name="search"),
    path("<uuid:pk>/", views.service, name="service"),
    path("<uuid:pk>/report/", views.report, name="report"),
    path("<uuid:pk>/report/sent/", views.report_sent, name="report-sent"),
    path("places/<uuid:pk>/", views.place, name="place"),
]
