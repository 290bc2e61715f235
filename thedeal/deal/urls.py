from django.urls import path

from thedeal.deal import views

app_name = "deal"
urlpatterns = [
    path("", views.home, name="home"),
    path("our-part/", views.our_part, name="our-part"),
    path("our-part/<slug:slug>/", views.commitment, name="commitment"),
    path("your-part/", views.your_part, name="your-part"),
    path("your-part/neighbourhoods/", views.neighbourhoods, name="neighbourhoods"),
    path("your-part/mine/", views.my_pledges, name="my-pledges"),
    path("your-part/made/", views.pledge_made, name="pledge-made"),
    path("your-part/<slug:slug>/", views.pledge_type, name="pledge-type"),
    path("pledges/<str:key>/", views.pledge, name="pledge"),
    path("pledges/<str:key>/withdraw/", views.withdraw, name="withdraw"),
    path("pledges/<str:key>/restore/", views.restore, name="restore"),
    path("pledges/<str:key>/delete/", views.delete, name="delete"),
]
