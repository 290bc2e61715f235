"""What every page's layout needs: the council, the service's name, the navigation."""

from django.conf import settings
from django.urls import reverse

NAVIGATION = (
    ("Find what helps", "directory:search"),
    ("Our part", "deal:our-part"),
    ("Your part", "deal:your-part"),
)


def site(request):
    path = request.path
    navigation = []
    for label, name in NAVIGATION:
        url = reverse(name)
        navigation.append({"label": label, "url": url, "active": path.startswith(url)})
    return {
        "council": settings.COUNCIL,
        "service_name": settings.SERVICE_NAME,
        "navigation": navigation,
    }
