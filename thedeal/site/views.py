"""The home page, the pages every council service must have, and the council's colours."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from thedeal.directory.demo import PROVENANCE_TAXONOMY_NAME
from thedeal.directory.models import TaxonomyTerm
from thedeal.site.favicon import icon as favicon_icon


@require_safe
def home(request):
    categories = TaxonomyTerm.objects.filter(parent__isnull=True).exclude(
        taxonomy_detail__name=PROVENANCE_TAXONOMY_NAME
    )
    return render(request, "site/home.html", {"categories": categories})


@require_safe
def accessibility(request):
    return render(request, "site/accessibility.html")


@require_safe
def privacy(request):
    return render(request, "site/privacy.html")


@require_safe
def cookies(request):
    return render(request, "site/cookies.html")


@require_safe
@cache_control(public=True, max_age=3600)
def council_css(request):
    """The council's own header colour, from settings, as a stylesheet: the compiled GOV.UK
    Frontend styles are the same for every council, and no inline style is allowed (CSP)."""
    colour = settings.COUNCIL["brand_colour"]
    css = f".govuk-header{{background-color:{colour};border-bottom-color:{colour}}}\n"
    return HttpResponse(css, content_type="text/css; charset=utf-8")


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request):
    """A square of the council's colour (thedeal/site/favicon.py), asked for by every browser."""
    return HttpResponse(favicon_icon(settings.COUNCIL["brand_colour"]), content_type="image/x-icon")


def server_error(request):
    """The council's page for an unexpected error (handler500), with its name and how to reach it.

    Django's own handler renders 500.html with nothing in it; this gives it the council from the
    settings alone. It reads no database and runs no context processor: either may be what failed.
    """
    context = {"council": settings.COUNCIL, "service_name": settings.SERVICE_NAME}
    return HttpResponseServerError(loader.render_to_string("500.html", context))
