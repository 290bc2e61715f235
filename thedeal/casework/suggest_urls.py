"""A person's suggestions, signposts and referrals, under /casework/people/<reference>/."""

from django.urls import path

from thedeal.casework import suggest_views

urlpatterns = [
    path("services/", suggest_views.services, name="services"),
    path("goals/<int:goal_pk>/services/", suggest_views.services, name="goal-services"),
    path("services/<uuid:service_id>/signpost/", suggest_views.signpost, name="signpost"),
    path("services/<uuid:service_id>/refer/", suggest_views.refer, name="refer"),
    path("signposts/<int:signpost_pk>/print/", suggest_views.print_signpost, name="print-signpost"),
    path("referrals/<int:referral_pk>/", suggest_views.referral, name="referral"),
    path(
        "referrals/<int:referral_pk>/<slug:to>/",
        suggest_views.change_referral,
        name="change-referral",
    ),
]
