from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("thedeal.site.urls")),
    path("services/", include("thedeal.directory.urls")),
    path("deal/", include("thedeal.deal.urls")),
    path("accounts/", include("thedeal.accounts.urls")),
    path("casework/", include("thedeal.casework.urls")),
    path("referrals/", include("thedeal.casework.inbox_urls")),
    path("insight/", include("thedeal.insight.urls")),
    # Casework's FHIR R4 API (inbound referrals from GP systems, and their progress).
    path("api/fhir/", include("thedeal.casework.fhir.urls")),
    path("admin/", admin.site.urls),
    path(settings.DIRECTORY_FEED_PATH.strip("/") + "/", include("thedeal.directory.api.urls")),
]

# The council's page for an unexpected error, with its name and contact details (404 and 400
# use Django's handlers, which render 404.html and 400.html with the site's context).
handler500 = "thedeal.site.views.server_error"
