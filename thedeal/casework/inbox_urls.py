"""The community organisation's referral inbox, under /referrals/."""

from django.urls import path

from thedeal.casework import inbox_views

app_name = "inbox"

urlpatterns = [
    path("", inbox_views.referral_list, name="list"),
    path("<uuid:fhir_id>/", inbox_views.referral, name="referral"),
    path("<uuid:fhir_id>/<slug:to>/", inbox_views.answer, name="answer"),
]
