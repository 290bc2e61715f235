from django.conf import settings
from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView

from thedeal.directory.api import views

app_name = "directory-api"

urlpatterns = [
    path("", views.ApiDetails.as_view(), name="details"),
    path(
        "openapi.json",
        SpectacularJSONAPIView.as_view(
            urlconf="thedeal.directory.api.urls",
            custom_settings={
                "SERVERS": [{"url": settings.DIRECTORY_FEED_PATH}],
                # The default hook (enums as components), then the ORUK response schemas.
                "POSTPROCESSING_HOOKS": [
                    "drf_spectacular.hooks.postprocess_schema_enums",
                    "thedeal.directory.api.openapi.add_oruk_schemas",
                ],
            },
        ),
        name="openapi",
    ),
    # ORUK's paths, exactly: no trailing slashes.
    path("services", views.ServiceList.as_view(), name="services"),
    path("services/<str:id>", views.ServiceDetail.as_view(), name="service"),
    path(
        "service_at_locations", views.ServiceAtLocationList.as_view(), name="service_at_locations"
    ),
    path(
        "service_at_locations/<str:id>",
        views.ServiceAtLocationDetail.as_view(),
        name="service_at_location",
    ),
    path("organizations", views.OrganizationList.as_view(), name="organizations"),
    path("organizations/<str:id>", views.OrganizationDetail.as_view(), name="organization"),
    path("taxonomies", views.TaxonomyList.as_view(), name="taxonomies"),
    path("taxonomies/<str:id>", views.TaxonomyDetail.as_view(), name="taxonomy"),
    path("taxonomy_terms", views.TaxonomyTermList.as_view(), name="taxonomy_terms"),
    path("taxonomy_terms/<str:id>", views.TaxonomyTermDetail.as_view(), name="taxonomy_term"),
    re_path(r"^(?P<path>.+)$", views.not_found),
]
