from django.urls import include, path

from thedeal.casework import teams_views, views

app_name = "casework"

person_urls = [
    path("", views.person, name="person"),
    path("change/<slug:part>/", views.change_part, name="change"),
    path("consents/new/", views.new_consent, name="new-consent"),
    path("consents/<int:consent_pk>/withdraw/", views.withdraw_consent, name="withdraw-consent"),
    path("break-glass/", teams_views.break_glass, name="break-glass"),
]

urlpatterns = [
    path("", views.find, name="find"),
    path("people/new/", views.add_person, name="add-person"),
    path("break-glass/", teams_views.review, name="break-glass-review"),
    path("people/<slug:reference>/", include(person_urls)),
]
