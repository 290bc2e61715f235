from django.contrib.auth import views as auth_views
from django.urls import include, path

from thedeal.accounts import listing_views, views

# One listing's parts, each on its own page (listing_views), under listings/<pk>/.
listing_urls = [
    path("", listing_views.overview, name="listing"),
    path("details/", views.edit_listing, name="edit-listing"),
    path("times/new/", listing_views.schedule, name="add-time"),
    path("times/<uuid:schedule_pk>/", listing_views.schedule, name="change-time"),
    path("phones/new/", listing_views.phone, name="add-phone"),
    path("phones/<uuid:phone_pk>/", listing_views.phone, name="change-phone"),
    path("places/new/", listing_views.add_place, name="add-place"),
    path("places/new/address/", listing_views.new_place, name="new-place"),
    path("places/<uuid:place_pk>/times/new/", listing_views.schedule, name="add-time-at"),
    path("places/<uuid:place_pk>/phones/new/", listing_views.phone, name="add-phone-at"),
    path(
        "places/<uuid:place_pk>/accessibility/new/",
        listing_views.accessibility,
        name="add-accessibility",
    ),
    path(
        "places/<uuid:place_pk>/accessibility/<uuid:item_pk>/",
        listing_views.accessibility,
        name="change-accessibility",
    ),
    path(
        "places/<uuid:place_pk>/<str:part>/<uuid:part_pk>/remove/",
        listing_views.remove,
        name="remove-at",
    ),
    path("<str:part>/<uuid:part_pk>/remove/", listing_views.remove, name="remove"),
    path("ages/", listing_views.ages, name="ages"),
    path("categories/", listing_views.categories, name="categories"),
]

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("register/", views.register, name="register"),
    path("confirm-email/", views.resend_confirmation, name="resend-confirmation"),
    path("confirm-email/<str:key>/", views.confirm_email, name="confirm-email"),
    path("delete/", views.delete_account, name="delete-account"),
    path("sign-out/", auth_views.LogoutView.as_view(next_page="site:home"), name="sign-out"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("password/changed/", views.PasswordChangeDoneView.as_view(), name="password-change-done"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password-reset-confirm"),
    path("password/reset/done/", views.PasswordResetCompleteView.as_view(),
         name="password-reset-complete"),
    path("two-factor/", views.two_factor, name="two-factor"),
    path("two-factor/set-up/", views.set_up_two_factor, name="set-up-two-factor"),
    path("listings/", views.listings, name="listings"),
    path("listings/new/", views.suggest_listing, name="suggest-listing"),
    path("listings/<uuid:pk>/", include(listing_urls)),
    path("listings/<uuid:pk>/verify/", views.verify_listing, name="verify-listing"),
    path("listings/<uuid:pk>/reports/<int:report_pk>/done/", views.report_dealt_with,
         name="report-dealt-with"),
]  # fmt: skip
