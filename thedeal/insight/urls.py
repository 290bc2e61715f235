"""Insight's pages: the indicators, a ward's profile and an indicator across the borough, each
with its figures as CSV (public: every figure on them may be published, insight.queries); and
the evaluation, the savings ledger and the staff pages behind them (insight.ledger_urls)."""

from django.urls import include, path

from thedeal.insight import ledger_urls, views

app_name = "insight"

ward_urls = [
    path("", views.ward, name="ward"),
    path("profile.csv", views.ward_csv, name="ward-csv"),
    path("trends.csv", views.ward_trends_csv, name="ward-trends-csv"),
]

indicator_urls = [
    path("", views.indicator, name="indicator"),
    path("values.csv", views.indicator_csv, name="indicator-csv"),
]

urlpatterns = [
    path("", views.index, name="index"),
    path("indicators.csv", views.index_csv, name="index-csv"),
    path("wards/<str:code>/", include(ward_urls)),
    path("indicators/<slug:slug>/", include(indicator_urls)),
    *ledger_urls.urlpatterns,
]
