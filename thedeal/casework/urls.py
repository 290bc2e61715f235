from django.urls import include, path

from thedeal.casework import conversations_views, plans_views, views, wellbeing_views
from thedeal.casework import suggest_urls, views

app_name = "casework"

person_urls = [
    path("", views.person, name="person"),
    path("change/<slug:part>/", views.change_part, name="change"),
    path("consents/new/", views.new_consent, name="new-consent"),
    path("consents/<int:consent_pk>/withdraw/", views.withdraw_consent, name="withdraw-consent"),
    *conversations_views.urls,
    *wellbeing_views.urls,
    *plans_views.urls,
]

urlpatterns = [
    path("", views.find, name="find"),
    path("people/new/", views.add_person, name="add-person"),
    path("people/<slug:reference>/", include(person_urls)),
    path("people/<slug:reference>/", include(suggest_urls)),
]
