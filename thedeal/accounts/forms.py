"""Sign-in, two-factor codes, and the listing form community organisations use."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    BaseUserCreationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, URLValidator, validate_email
from django.template.loader import render_to_string

from thedeal import notify
from thedeal.directory.models import ListingSuggestion, Service
from thedeal.web.forms import GovukForm


def refuse_impossible_usernames(form: AuthenticationForm) -> None:
    """Refuse a username longer than any account's before it is tried.

    Django's sign-in form shows the username's maximum length but does not check it, and
    django-axes records every failed sign-in with its username in 255 characters: a longer one
    was a server error on PostgreSQL. No account has one, so it is refused here, plainly."""
    field = form.fields["username"]
    field.validators.append(MaxLengthValidator(field.max_length))
    field.error_messages["max_length"] = (
        f"Enter an email address or username of {field.max_length} characters or fewer"
    )


class SignInForm(GovukForm, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct email address or username and password",
        "inactive": "This account has been switched off",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        refuse_impossible_usernames(self)
        self.fields["username"].label = "Email address or username"
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"
        self.fields["username"].error_messages["required"] = "Enter your email address or username"
        self.fields["password"].error_messages["required"] = "Enter your password"


class AdminSignInForm(AdminAuthenticationForm):
    """The admin's own sign-in page, with the same limit on usernames."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        refuse_impossible_usernames(self)


class CodeForm(GovukForm):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric",
                                      "autocomplete": "one-time-code"}),
        error_messages={"required": "Enter the 6-digit code", "min_length": "Enter the 6-digit code",
                        "max_length": "Enter the 6-digit code"},
    )  # fmt: skip


class ListingForm(GovukForm, forms.ModelForm):
    class Meta:
        model = Service
        fields = ["name", "description", "eligibility_description", "application_process",
                  "fees_description", "email", "url"]  # fmt: skip
        labels = {
            "name": "Name",
            "description": "What it is",
            "eligibility_description": "Who it is for",
            "application_process": "How to join",
            "fees_description": "What it costs",
            "email": "Email address",
            "url": "Website",
        }
        help_texts = {
            "fees_description": "A change here replaces any prices listed item by item",
        }
        widgets = {
            "name": forms.TextInput(),
            "email": forms.EmailInput(),
            "url": forms.URLInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
            "eligibility_description": forms.Textarea(attrs={"rows": 3}),
            "application_process": forms.Textarea(attrs={"rows": 3}),
            "fees_description": forms.Textarea(attrs={"rows": 2}),
        }

    def _post_clean(self) -> None:
        super()._post_clean()  # the instance now holds what was entered
        if self.instance.pk is None or self.has_error("email") or self.has_error("url"):
            return
        # The editor's form has no phone numbers: the listing keeps the ones it has.
        try:
            self.instance.check_keeps_a_way_of_contact(
                phone_numbers=self.instance.phones.values_list("number", flat=True)
            )
        except forms.ValidationError:
            # Phone numbers are not on this form: say what the editor can give here.
            self.add_error(
                "email",
                "Keep at least one way to get in touch: an email address or a website "
                "(the listing has no phone number)",
            )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email:
            try:
                validate_email(email)
            except forms.ValidationError:
                raise forms.ValidationError(
                    "Enter an email address in the correct format, like name@example.com"
                ) from None
        return email

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        if url:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except forms.ValidationError:
                raise forms.ValidationError(
                    "Enter a website address in the correct format, like https://example.org"
                ) from None
        return url


def password_rules() -> str:
    """The platform's password rules (AUTH_PASSWORD_VALIDATORS) as one sentence, shown beside
    every field where a password is chosen, so that nobody learns them from an error."""
    rules = []
    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, password_validation.MinimumLengthValidator):
            rules.insert(0, f"at least {validator.min_length} characters long")
        elif isinstance(validator, password_validation.NumericPasswordValidator):
            rules.append("not only numbers")
        elif isinstance(validator, password_validation.CommonPasswordValidator):
            rules.append("not a commonly used password")
        elif isinstance(validator, password_validation.UserAttributeSimilarityValidator):
            rules.append("not like your email address")
        else:
            rules.append(validator.get_help_text().rstrip(".").lower())
    if not rules:
        return ""
    listed = rules[0] if len(rules) == 1 else ", ".join(rules[:-1]) + " and " + rules[-1]
    return f"Your password must be {listed}. Three random words make a long password that is easy to remember."


def _in_govuk_words(error: ValidationError) -> str:
    """A password validator's error as GOV.UK would say it (Django's say "This password ...")."""
    params = error.params or {}
    if error.code == "password_too_short":
        return f"Your password must be at least {params.get('min_length')} characters long"
    if error.code == "password_entirely_numeric":
        return "Your password must not be only numbers"
    if error.code == "password_too_common":
        return "Your password is one that many people use: choose one that is harder to guess"
    if error.code == "password_too_similar":
        return "Your password must not be like your email address"
    return " ".join(error.messages).rstrip(".")


class PasswordRules:
    """For forms that choose a password (registering, changing it, setting a new one): GOV.UK
    labels and errors instead of Django's ("Password confirmation", "didn't match"), the rules
    as hint text beside the new password, and errors on the field the rules are beside.

    `new` and `again` name the form's two password fields."""

    new = "new_password1"
    again = "new_password2"

    error_messages = {"password_mismatch": "Passwords must match"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        new, again = self.fields[self.new], self.fields[self.again]
        new.help_text = password_rules()
        again.help_text = ""
        new.error_messages["required"] = "Enter a password"
        again.error_messages["required"] = "Confirm your password"
        self._describe(self.new)
        self._describe(self.again)

    def validate_password_for_user(self, user, password_field_name=None):
        # The new password itself, so that its rules are checked even when the confirmation
        # does not match it: both mistakes are shown at once.
        password = self.cleaned_data.get(self.new)
        if not password:
            return
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            for each in error.error_list:
                self.add_error(self.new, _in_govuk_words(each))


class GovukPasswordChangeForm(PasswordRules, GovukForm, PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        **PasswordRules.error_messages,
        "password_incorrect": "Your current password is not right: enter it again",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.fields["new_password1"].label = "New password"
        self.fields["new_password2"].label = "Confirm your new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"


class GovukSetPasswordForm(PasswordRules, GovukForm, SetPasswordForm):
    error_messages = {**SetPasswordForm.error_messages, **PasswordRules.error_messages}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password2"].label = "Confirm your new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"


class GovukPasswordResetForm(GovukForm, PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["email"]
        field.label = "Email address"
        field.error_messages["required"] = "Enter your email address"
        field.error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.com"
        )

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email,
        html_email_template_name=None,
    ):  # fmt: skip
        """Through thedeal.notify, as every email is: GOV.UK Notify when configured (Django's
        own sending would go to its backend, printed into the log by default, link and all)."""
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        notify.send_email(to=to_email, subject=subject, body=body)


class SuggestionForm(GovukForm, forms.ModelForm):
    """A new listing an editor proposes for one of their organisations."""

    class Meta:
        model = ListingSuggestion
        fields = ["organization", "name", "description", "eligibility_description",
                  "application_process", "fees_description", "email", "url"]  # fmt: skip
        labels = {**ListingForm.Meta.labels, "organization": "Organisation"}
        widgets = {**ListingForm.Meta.widgets}

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organisations
        self.fields["organization"].empty_label = None
        self.fields["name"].error_messages["required"] = "Enter the listing's name"

    clean_email = ListingForm.clean_email
    clean_url = ListingForm.clean_url


class RegistrationForm(PasswordRules, GovukForm, BaseUserCreationForm):
    """A resident's own account: an email address and a password, nothing else. The address
    is the account's username; it becomes the account's email address (which emails go to)
    only once confirmed (see accounts.models.address_to_confirm)."""

    new = "password1"
    again = "password2"
    error_messages = {**BaseUserCreationForm.error_messages, **PasswordRules.error_messages}

    class Meta(BaseUserCreationForm.Meta):
        fields = ("username",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.label = "Email address"
        field.help_text = (
            "You will sign in with it. We will email it a link to confirm it is yours."
        )
        field.error_messages["required"] = "Enter your email address"
        # The address is the account's username, which holds 150 characters (254 for email).
        field.error_messages["max_length"] = (
            "Enter an email address of %(limit_value)d characters or fewer"
        )
        field.widget = forms.EmailInput(
            attrs={"autocomplete": "email", "spellcheck": "false", "class": "govuk-input"}
        )
        self.fields["password1"].label = "Create a password"
        self.fields["password2"].label = "Confirm your password"
        self._describe("username")

    def clean_username(self):
        email = self.cleaned_data["username"].strip().lower()
        try:
            validate_email(email)
        except forms.ValidationError:
            raise forms.ValidationError(
                "Enter an email address in the correct format, like name@example.com"
            ) from None
        if get_user_model().objects.filter(username__iexact=email).exists():
            raise forms.ValidationError("There is already an account with this email address")
        return email
