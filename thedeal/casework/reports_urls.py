from django.urls import path

from thedeal.casework import reports_views

report_urls = [
    path("", reports_views.overview, name="reports"),
    path("<slug:key>.csv", reports_views.download, name="report-csv"),
]
