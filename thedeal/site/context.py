"""What every page's layout needs: the council, the service's name, the navigation."""

from django.conf import settings
from django.urls import reverse

from thedeal.accounts.models import does_casework
from thedeal.casework.reports_views import may_see_reports

NAVIGATION = (
    ("Find what helps", "directory:search"),
    ("Our part", "deal:our-part"),
    ("Your part", "deal:your-part"),
    ("Health figures", "insight:index"),
)


# Where a practitioner's work is, for them alone.
CASEWORK = ("People", "casework:find")
# Casework's reports: practitioners' and analysts' (counts only).
REPORTS = ("Reports", "casework:reports")


def site(request):
    path = request.path
    navigation = []
    items = list(NAVIGATION)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and does_casework(user):
        items.append(CASEWORK)
    if user is not None and user.is_authenticated and may_see_reports(user):
        items.append(REPORTS)
    for label, name in items:
        url = reverse(name)
        navigation.append({"label": label, "url": url, "active": path.startswith(url)})
    return {
        "council": settings.COUNCIL,
        "service_name": settings.SERVICE_NAME,
        "navigation": navigation,
    }
