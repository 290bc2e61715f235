from django.urls import include, path

from thedeal.casework import outreach_views, views

app_name = "casework"

person_urls = [
    path("", views.person, name="person"),
    path("change/<slug:part>/", views.change_part, name="change"),
    path("consents/new/", views.new_consent, name="new-consent"),
    path("consents/<int:consent_pk>/withdraw/", views.withdraw_consent, name="withdraw-consent"),
]

urlpatterns = [
    path("", views.find, name="find"),
    path("people/new/", views.add_person, name="add-person"),
    path("people/<slug:reference>/", include(person_urls)),
    path("outreach/", include(outreach_views.urlpatterns)),
]
