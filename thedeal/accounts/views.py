"""Signing in (with optional two-factor codes) and community organisations' own listings."""

from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from thedeal.accounts import actions as account_actions
from thedeal.accounts.forms import (
    CodeForm,
    GovukPasswordChangeForm,
    GovukPasswordResetForm,
    GovukSetPasswordForm,
    ListingForm,
    RegistrationForm,
    SignInForm,
    SuggestionForm,
)
from thedeal.accounts.models import (
    address_to_confirm,
    can_edit,
    does_casework,
    editable_services,
    landing_url,
    looks_after_listings,
    organisations_edited_by,
)
from thedeal.directory import actions
from thedeal.directory.models import ListingSuggestion, Report, Service
from thedeal.web import ratelimit


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # Wrong details from one connection, whatever the username (django-axes locks a
        # username, from anywhere): counted before the password is checked, given back if right.
        attempt = ratelimit.SIGN_IN.hit(request)
        if not attempt.allowed:
            return ratelimit.try_again_later(request, ratelimit.SIGN_IN, attempt)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            attempt.refund()
        return response

    def get_default_redirect_url(self):
        # Without a safe `next`, each role lands where its work is.
        return landing_url(self.request.user)

    def form_valid(self, form):
        response = super().form_valid(form)
        if user_has_device(self.request.user):
            # The password was right; the code comes next (see verified_staff).
            return redirect(f"{reverse('accounts:two-factor')}?next={self.get_success_url()}")
        return response


@method_decorator(never_cache, name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing a password, under the platform's password rules (AUTH_PASSWORD_VALIDATORS)."""

    form_class = GovukPasswordChangeForm
    template_name = "accounts/password_form.html"
    success_url = reverse_lazy("accounts:password-change-done")
    extra_context = {"title": "Change your password", "button": "Change password"}


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_done.html"
    extra_context = {"title": "Your password has been changed"}


class PasswordResetView(auth_views.PasswordResetView):
    """A link to set a new password, by email, to the address on the account (if there is one:
    the page says the same either way, so it does not reveal who has an account)."""

    form_class = GovukPasswordResetForm
    template_name = "accounts/password_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")
    extra_context = {"title": "Reset your password", "button": "Send me a link"}

    @method_decorator(never_cache)
    def dispatch(self, *args, **kwargs):
        return super().dispatch(*args, **kwargs)

    def form_valid(self, form):
        # Per connection, and per email address from anywhere, so that nobody's inbox can be
        # flooded. Refused the same way whether or not the address has an account.
        for limit, by in (
            (ratelimit.PASSWORD_RESETS, None),
            (ratelimit.PASSWORD_RESETS_TO_ONE_ADDRESS, form.cleaned_data["email"]),
        ):
            attempt = limit.hit(self.request, by=by)
            if not attempt.allowed:
                return ratelimit.try_again_later(self.request, limit, attempt)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_done.html"
    extra_context = {"title": "Check your email",
                     "message": "If the address has an account, we have sent it a link to set a new password."}  # fmt: skip


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = GovukSetPasswordForm
    template_name = "accounts/password_form.html"
    success_url = reverse_lazy("accounts:password-reset-complete")
    extra_context = {"title": "Set a new password", "button": "Set password"}


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_done.html"
    extra_context = {"title": "Your password has been set"}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit.limited(ratelimit.REGISTRATIONS)
def register(request):
    """Residents need no account, but may make one: their pledges then live in it. Its email
    address receives nothing until its owner follows the link emailed to it."""
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            account_actions.send_confirmation(user=user)
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("accounts:account")
    return render(request, "accounts/register.html", {"form": form})


@never_cache
@login_required(login_url="accounts:sign-in")
@require_safe
def account(request):
    """Who is signed in, the state of their email address, and what they can do from here."""
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {"address_to_confirm": address_to_confirm(user),
         "link_days": account_actions.CONFIRMATION_LINK_DAYS,
         "looks_after_listings": looks_after_listings(user),
         "does_casework": does_casework(user),
         "pledges": user.pledges.count()},
    )  # fmt: skip


@never_cache
@require_safe
def confirm_email(request, key):
    """The link emailed to a new account's address; it works signed in or not, on any device."""
    user = account_actions.confirm_email(key)
    if user is None:
        return render(
            request,
            "accounts/email_not_confirmed.html",
            {"link_days": account_actions.CONFIRMATION_LINK_DAYS},
            status=404,
        )
    return render(request, "accounts/email_confirmed.html", {"confirmed": user})


# A new link on request, per connection and per account, so that nobody's inbox is flooded.
CONFIRMATION_EMAILS = ratelimit.Limit(
    "confirm-email",
    "10/hour",
    "Too many confirmation emails have been asked for from your connection.",
)
CONFIRMATION_EMAILS_TO_ONE_ACCOUNT = ratelimit.Limit(
    "confirm-email-account",
    "3/hour",
    "Too many confirmation emails have been asked for this account.",
)


@never_cache
@login_required(login_url="accounts:sign-in")
@require_POST
def resend_confirmation(request):
    for limit, by in (
        (CONFIRMATION_EMAILS, None),
        (CONFIRMATION_EMAILS_TO_ONE_ACCOUNT, f"account:{request.user.pk}"),
    ):
        attempt = limit.hit(request, by=by)
        if not attempt.allowed:
            return ratelimit.try_again_later(request, limit, attempt)
    if account_actions.send_confirmation(user=request.user):
        messages.success(request, f"We have sent a new link to {request.user.get_username()}")
    return redirect("accounts:account")


@never_cache
@login_required(login_url="accounts:sign-in")
@require_http_methods(["GET", "HEAD", "POST"])
def delete_account(request):
    """Anyone may delete their own account; a resident's pledges go with it."""
    if request.method == "POST":
        user = request.user
        auth_logout(request)
        user.delete()
        return render(request, "accounts/account_deleted.html")
    return render(request, "accounts/delete_account.html")


def verified_staff(view):
    """Signed in, and past the two-factor step if the person has set up an authenticator.
    Their pages are never stored (Cache-Control: no-store)."""

    @never_cache
    @login_required(login_url="accounts:sign-in")
    def wrapper(request, *args, **kwargs):
        if user_has_device(request.user) and not request.user.is_verified():
            return redirect(f"{reverse('accounts:two-factor')}?next={request.get_full_path()}")
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@never_cache
@login_required(login_url="accounts:sign-in")
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor(request):
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.devices_for_user(request.user, confirmed=True):
            allowed, _ = device.verify_is_allowed()
            if not allowed:
                # django-otp slows down guessing: each wrong code doubles the wait.
                form.add_error("code", "Wait a few seconds, then enter the new code from your app")
                break
            if device.verify_token(form.cleaned_data["code"]):
                otp_login(request, device)
                target = request.GET.get("next", "")
                if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                    target = landing_url(request.user)
                return redirect(target)
        else:
            form.add_error("code", "The code is not right: check your app and try again")
    return render(request, "accounts/two_factor.html", {"form": form})


@verified_staff
@require_http_methods(["GET", "HEAD", "POST"])
def set_up_two_factor(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, name="Authenticator app", confirmed=False
        )
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            return render(request, "accounts/two_factor_on.html")
        form.add_error("code", "The code is not right: check your app and try again")
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "qr": qr.svg_inline(scale=4, dark="#0b0c0c", omitsize=False),
         "secret": _grouped(device.bin_key)},
    )  # fmt: skip


def _grouped(key: bytes) -> str:
    """The secret as people type it into an app: base32, in groups of four."""
    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


# A page of listings is enough to scan; directory staff, who look after every listing (1,500
# in a borough), page through them or search.
LISTINGS_PER_PAGE = 50
# Fewer than this, and a search box would be in the way.
SEARCH_FROM = 10


@verified_staff
@require_safe
def listings(request):
    services = editable_services(request.user)
    looked_after = services.count()
    query = request.GET.get("q", "").strip()[:200]
    if query:
        services = services.filter(
            Q(name__icontains=query) | Q(organization__name__icontains=query)
        )
    services = (
        services.select_related("organization")
        .annotate(new_reports=Count("reports", filter=Q(reports__status=Report.Status.NEW)))
        .order_by("name", "id")
    )
    page = Paginator(services, LISTINGS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"service": s, "stale": s.is_stale(), "reports": s.new_reports} for s in page]
    suggestions = ListingSuggestion.objects.filter(
        organization__in=organisations_edited_by(request.user)
    ).select_related("organization")[:50]
    return render(
        request,
        "accounts/listings.html",
        {"rows": rows, "suggestions": suggestions, "page": page, "query": query,
         "searchable": looked_after > SEARCH_FROM or bool(query),
         # Suggesting is for an organisation's editors; staff add listings in the admin.
         "can_suggest": organisations_edited_by(request.user).exists(),
         "page_links": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
         "query_string": urlencode({"q": query}) + "&" if query else ""},
    )  # fmt: skip


@verified_staff
@require_http_methods(["GET", "HEAD", "POST"])
def suggest_listing(request):
    """An editor proposes a new listing; directory staff approve it before it is published."""
    organisations = organisations_edited_by(request.user)
    if not organisations.exists():
        raise Http404
    form = SuggestionForm(request.POST if request.method == "POST" else None,
                          organisations=organisations)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        suggestion = form.save(commit=False)
        suggestion.suggested_by = request.user
        suggestion.save()
        return redirect(f"{reverse('accounts:listings')}?suggested={suggestion.pk}")
    return render(request, "accounts/suggest_listing.html", {"form": form})


def _editable_or_404(request, pk) -> Service:
    service = get_object_or_404(Service, pk=pk)
    if not can_edit(request.user, service):
        # Another organisation's listing: as if it were not there.
        raise Http404
    return service


@verified_staff
@require_http_methods(["GET", "HEAD", "POST"])
def edit_listing(request, pk):
    service = _editable_or_404(request, pk)
    previous = actions.snapshot(service)
    form = ListingForm(request.POST if request.method == "POST" else None, instance=service)
    if request.method == "POST" and form.is_valid():
        actions.edit_listing(service=form.save(commit=False), previous=previous, by=request.user)
        return redirect(f"{reverse('accounts:listing', args=[service.pk])}?done=details")
    reports = service.reports.filter(status=Report.Status.NEW)
    return render(request, "accounts/edit_listing.html", {"service": service, "form": form,
                                                          "reports": reports})  # fmt: skip


@verified_staff
@require_POST
def verify_listing(request, pk):
    service = _editable_or_404(request, pk)
    actions.mark_as_verified(services=[service], by=request.user)
    return redirect(f"{reverse('accounts:listings')}?verified={service.pk}")


@verified_staff
@require_POST
def report_dealt_with(request, pk, report_pk):
    service = _editable_or_404(request, pk)
    report = get_object_or_404(Report, pk=report_pk, service=service)
    report.mark_dealt_with()
    report.save()
    return redirect("accounts:listing", pk=service.pk)
