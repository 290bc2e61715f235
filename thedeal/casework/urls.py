from django.urls import include, path

from thedeal.casework import (
    caseload_views,
    conversations_views,
    outreach_views,
    plans_views,
    rights_views,
    safeguarding_views,
    suggest_urls,
    teams_views,
    triage_views,
    views,
    wellbeing_views,
)
from thedeal.casework.reports_urls import report_urls

app_name = "casework"

concern_urls = [
    path("new/", safeguarding_views.raise_concern, name="raise-concern"),
    path("<int:pk>/", safeguarding_views.concern, name="safeguarding-concern"),
    path("<int:pk>/acknowledge/", safeguarding_views.acknowledge, name="acknowledge-concern"),
    path("<int:pk>/close/", safeguarding_views.close, name="close-concern"),
]

person_urls = [
    path("", views.person, name="person"),
    path("change/<slug:part>/", views.change_part, name="change"),
    path("consents/new/", views.new_consent, name="new-consent"),
    path("consents/<int:consent_pk>/withdraw/", views.withdraw_consent, name="withdraw-consent"),
    *conversations_views.urls,
    *wellbeing_views.urls,
    *plans_views.urls,
    path("safeguarding/", include(concern_urls)),
    path("subject-access/", rights_views.subject_access, name="subject-access"),
    path("subject-access/json/", rights_views.subject_access_json, name="subject-access-json"),
    path("erase/", rights_views.erase, name="erase"),
    path("break-glass/", teams_views.break_glass, name="break-glass"),
    path("caseload/add/", teams_views.join_caseload, name="join-caseload"),
    path("caseload/remove/", teams_views.leave_caseload, name="leave-caseload"),
]

urlpatterns = [
    path("", views.find, name="find"),
    path("caseload/", caseload_views.caseload, name="caseload"),
    path("people/new/", views.add_person, name="add-person"),
    path("break-glass/", teams_views.review, name="break-glass-review"),
    path("people/<slug:reference>/", include(person_urls)),
    path("people/<slug:reference>/", include(suggest_urls)),
    path("safeguarding/", safeguarding_views.concerns, name="safeguarding-concerns"),
    path("erasures/<int:pk>/", rights_views.erasure, name="erasure"),
    path("reports/", include(report_urls)),
    path("outreach/", include(outreach_views.urlpatterns)),
    path("triage/", include(triage_views.urlpatterns)),
]
