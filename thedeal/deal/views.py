"""The Deal's pages: "our part" (commitments and progress) and "your part" (pledges)."""

from __future__ import annotations

import copy
from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from thedeal import geography
from thedeal.deal import actions, charts
from thedeal.deal.forms import CheckInForm, PledgeForm
from thedeal.deal.models import Commitment, Pledge, PledgeType
from thedeal.directory import queries
from thedeal.directory.listings import listings
from thedeal.directory.models import TaxonomyTerm
from thedeal.web import ratelimit

SESSION_NEW_PLEDGE = "deal-new-pledge"


@require_safe
def home(request):
    return render(request, "deal/home.html", {"pledge_types": PledgeType.objects.all()[:4]})


@require_safe
def our_part(request):
    # progress and the ward table need pandas and SciPy (seconds to import): imported where
    # used, so that every `thedeal` command starts without them; wsgi.py loads them once.
    from thedeal.deal import progress

    commitments = []
    for commitment in Commitment.objects.prefetch_related("measurements"):
        points = progress.series(commitment)
        commitments.append(
            {
                "commitment": commitment,
                "latest": progress.latest(points),
                "judgement": progress.judge(commitment, points),
            }
        )
    return render(request, "deal/our_part.html", {"commitments": commitments})


@require_safe
def commitment(request, slug):
    from thedeal.deal import progress

    found = get_object_or_404(Commitment, slug=slug)
    points = progress.series(found)
    chart = charts.progress_chart(
        points,
        title=f"{found.indicator}, {found.unit}, by year",
        unit=found.unit,
        target=found.target,
        chart_id="progress",
    )
    return render(
        request,
        "deal/commitment.html",
        {
            "commitment": found,
            "points": points,
            "chart": chart,
            "latest": progress.latest(points),
            "judgement": progress.judge(found, points),
            "gaps": progress.gaps(points),
            "has_intervals": any(p.lower is not None for p in points),
            "has_comparator": any(p.comparator is not None for p in points),
        },
    )


@require_safe
def your_part(request):
    return render(request, "deal/your_part.html", {"pledge_types": PledgeType.objects.all()})


def _helpful_services(
    pledge_type: PledgeType, limit: int = 5, *, near: geography.Postcode | None = None
):
    """Services in the pledge's categories: nearest first when the resident gave a postcode,
    else the best matches (queries.services), local before national; as search would list them."""
    terms = TaxonomyTerm.objects.filter(code__in=pledge_type.codes)
    ids = list(terms.values_list("pk", flat=True))
    ids += list(TaxonomyTerm.objects.filter(parent__in=terms).values_list("pk", flat=True))
    if not ids:
        return [], None
    filters = queries.Filters(term_ids=tuple(ids))
    service_ids: list = []
    if near is not None:
        nearby = queries.services_at_locations(
            replace(filters, near=queries.Near(near.easting, near.northing))
        )
        # A service at several nearby places is one listing: enough rows for `limit` of them.
        for (service_id,) in nearby[: limit * 10].values_list("service_id"):
            if service_id not in service_ids:
                service_ids.append(service_id)
    if len(service_ids) < limit:
        # Then national helplines and online services, which have no place to be near.
        for (service_id,) in queries.services(filters)[: limit * 2].values_list("id"):
            if service_id not in service_ids:
                service_ids.append(service_id)
    first = terms.first()
    return listings(service_ids[:limit], near=near), first


def _place_of(pledge: Pledge) -> geography.Postcode | None:
    """Where the resident said they live, if they gave a postcode (to show what is near)."""
    return geography.lookup_postcode(pledge.postcode) if pledge.postcode else None


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit.limited(ratelimit.PLEDGES)
def pledge_type(request, slug):
    chosen = get_object_or_404(PledgeType, slug=slug)
    account = request.user if request.user.is_authenticated else None
    form = PledgeForm(request.POST if request.method == "POST" else None, account=account)
    if request.method == "POST" and form.is_valid():
        made, token = actions.make_pledge(
            pledge_type=chosen,
            place=form.place,
            email=form.cleaned_data.get("email", ""),
            reminders=form.cleaned_data["reminders"],
            user=account,
        )
        if account is not None:
            # Their account is their way back to it: no private link to keep.
            messages.success(request, f"Pledge made: {made.pledge_type.title}")
            return redirect("deal:my-pledges")
        # Shown once, on the next page, then gone from the session.
        request.session[SESSION_NEW_PLEDGE] = token
        return redirect("deal:pledge-made")
    services, term = _helpful_services(chosen)
    return render(
        request,
        "deal/pledge_type.html",
        {"pledge_type": chosen, "form": form, "services": services, "term": term},
    )


# A resident's own pledge: never kept by a browser or proxy for the next person to bring back.
@never_cache
@require_safe
def pledge_made(request):
    token = request.session.pop(SESSION_NEW_PLEDGE, None)
    if token is None:
        return redirect("deal:your-part")
    pledge = actions.find_pledge(token)
    if pledge is None:
        raise Http404
    link = request.build_absolute_uri(_pledge_url(token))
    return render(request, "deal/pledge_made.html", {"pledge": pledge, "link": link})


def _pledge_url(key: str) -> str:
    return reverse("deal:pledge", args=[key])


def private_pledge(view):
    """A page reached through a pledge's private link (or a reminder's signed link): never
    stored, and closed to a connection that has opened too many links leading nowhere, which is
    what guessing them looks like. The view gets the pledge, or a 404 is answered."""

    @never_cache
    def wrapper(request, key):
        # Counted before the look-up, and given back if the link works, so that many guesses
        # at once cannot all be looked up before the first is counted.
        attempt = ratelimit.PLEDGE_LINKS.hit(request)
        if not attempt.allowed:
            return ratelimit.try_again_later(request, ratelimit.PLEDGE_LINKS, attempt)
        found = actions.find_pledge(key)
        if found is None:
            raise Http404
        attempt.refund()
        return view(request, key, found)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@require_http_methods(["GET", "HEAD", "POST"])
@private_pledge
def pledge(request, key, found):
    form = CheckInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not found.withdrawn:
        attempt = ratelimit.CHECK_INS.hit(request)
        if not attempt.allowed:
            return ratelimit.try_again_later(request, ratelimit.CHECK_INS, attempt)
        if form.is_valid():
            actions.check_in(found, form.cleaned_data["progress"])
            return redirect("deal:pledge", key=key)
    services, term = _helpful_services(found.pledge_type, limit=3, near=_place_of(found))
    return render(
        request,
        "deal/pledge.html",
        {"pledge": found, "key": key, "form": form, "check_ins": found.check_ins.all(),
         "services": services, "term": term},
    )  # fmt: skip


@require_http_methods(["GET", "HEAD", "POST"])
@private_pledge
def withdraw(request, key, found):
    """Asks first (a page, not a script), and says until when it can be undone."""
    if found.withdrawn:
        return redirect("deal:pledge", key=key)
    if request.method == "POST":
        actions.withdraw(found)
        messages.success(request, "Your pledge has been withdrawn")
        return redirect("deal:pledge", key=key)
    # Until when it could be restored, were it withdrawn now.
    if_withdrawn = copy.copy(found)
    if_withdrawn.withdraw()
    return render(request, "deal/withdraw.html", {"pledge": found, "key": key,
                                                  "restorable_until": if_withdrawn.deleted_after()})  # fmt: skip


@require_POST
@private_pledge
def restore(request, key, found):
    """Undo a withdrawal: possible for as long as the pledge is kept (the retention schedule
    deletes it, and then the link leads nowhere)."""
    if found.withdrawn:
        actions.restore(found)
        messages.success(request, "Your pledge has been restored")
    return redirect("deal:pledge", key=key)


@require_http_methods(["GET", "HEAD", "POST"])
@private_pledge
def delete(request, key, found):
    if request.method == "POST":
        actions.delete(found)
        return render(request, "deal/deleted.html")
    return render(request, "deal/delete.html", {"pledge": found, "key": key})


@never_cache
@login_required(login_url="accounts:sign-in")
@require_safe
def my_pledges(request):
    """A signed-in resident's pledges: each opens through a fresh signed link, since the
    private link's token is never kept."""
    pledges = [
        {"pledge": p, "key": actions.signed_link_key(p)}
        for p in request.user.pledges.select_related("pledge_type")
    ]
    return render(request, "deal/my_pledges.html", {"pledges": pledges})


@require_safe
def neighbourhoods(request):
    """Active pledges by ward, with counts from 1 to 7 suppressed, and any count that would
    give one away through the borough's total."""
    import pandas as pd

    from thedeal.indicators.methods.disclosure import publishable

    wards = Pledge.objects.active().exclude(ward_name="").values_list("ward_name", flat=True)
    counts = pd.Series(list(wards), dtype="object").value_counts()
    table = pd.DataFrame({"ward": counts.index, "pledges": counts.to_numpy()})
    total = int(Pledge.objects.active().count())
    rows = []
    if len(table):
        published = publishable(table.sort_values("ward", ignore_index=True), "pledges")
        rows = [
            {"ward": row.ward, "pledges": None if pd.isna(row.pledges) else int(row.pledges)}
            for row in published.itertuples()
        ]
    return render(
        request,
        "deal/neighbourhoods.html",
        {"rows": rows, "total": total if total == 0 or total > 7 else None},
    )
