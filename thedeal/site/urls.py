from django.urls import path

from thedeal.site import views

app_name = "site"
urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("cookies/", views.cookies, name="cookies"),
    path("council.css", views.council_css, name="council-css"),
    path("favicon.ico", views.favicon, name="favicon"),
]
