"""Settings → API tokens: MCET administrators make system accounts, give them tokens (the secret is
shown once, on the page that made it) and revoke them. The writes are ``mcee.api.tokens``'."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem

from .api.tokens import acting_groups, api_token_create, api_token_revoke, extra_permissions_of, system_account_create
from .models import ApiToken, SystemAccount


def may_manage_tokens(user) -> bool:
    return bool(user.is_active and user.has_perm("mcee.add_apitoken") and user.has_perm("mcee.change_apitoken"))


def _require(request):
    if not may_manage_tokens(request.user):
        raise PermissionDenied


class SystemAccountForm(forms.Form):
    username = forms.CharField(label=_("Account name"), max_length=150,
                               help_text=_("A name for the system, such as cbsa-nightly-exchange. It cannot sign in "
                                           "with a password."))
    group = forms.ModelChoiceField(label=_("Acts as"), queryset=Group.objects.none(),
                                   help_text=_("One department's officers or one partner's reporters: the account "
                                               "reads and writes what that role may, and nothing else."))
    push_travel_documents = forms.BooleanField(
        label=_("May push travel-document data"), required=False,
        help_text=_("Case-level and monthly batches (CBSA's extracts), which officers otherwise only read."))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("Which system this is and who runs it."))
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False,
                                     help_text=_("Who to tell when its tokens expire or are revoked."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = acting_groups()


class TokenForm(forms.Form):
    name = forms.CharField(label=_("What the token is for"), max_length=100,
                           help_text=_("For example “nightly pull”. Give each system or job its own token."))
    expires_on = forms.DateField(label=_("Last day it works"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_("Empty: until it is revoked. A year is a good length."))


def _errors_to_form(form, exc: ValidationError, fields: dict[str, str] | None = None) -> None:
    fields = fields or {}
    if hasattr(exc, "error_dict"):
        for field, messages_ in exc.message_dict.items():
            form.add_error(fields.get(field, field) if fields.get(field, field) in form.fields else None, messages_)
    else:
        form.add_error(None, exc.messages)


def index(request):
    _require(request)
    accounts = SystemAccount.objects.select_related("user", "group").prefetch_related(
        "tokens", "user__user_permissions__content_type")
    rows = [{"account": account, "extras": extra_permissions_of(account),
             "tokens": sorted(account.tokens.all(), key=lambda t: t.created_at, reverse=True)} for account in accounts]
    return render(request, "mcee/api_tokens.html", {"rows": rows, "now": timezone.now()})


def account_new(request):
    _require(request)
    form = SystemAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = system_account_create(
                username=data["username"], group=data["group"], description=data["description"],
                contact_email=data["contact_email"], user=request.user,
                permissions=["push_travel_documents"] if data["push_travel_documents"] else [])
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("System account %(name)s made; give it a token.") % {"name": account})
            return redirect("mcee_api_token_new", account.pk)
    return render(request, "mcee/api_token_form.html", {"form": form, "title": _("New system account")})


def token_new(request, account_pk: int):
    _require(request)
    account = get_object_or_404(SystemAccount.objects.select_related("user", "group"), pk=account_pk)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        expires_on = form.cleaned_data["expires_on"]
        expires_at = (timezone.make_aware(dt.datetime.combine(expires_on + dt.timedelta(days=1), dt.time.min))
                      if expires_on else None)
        try:
            new = api_token_create(account=account, name=form.cleaned_data["name"], expires_at=expires_at,
                                   user=request.user)
        except ValidationError as exc:
            _errors_to_form(form, exc, {"expires_at": "expires_on"})
        else:
            # The one time the secret is shown: on this page, never in a message, a log or the session.
            response = render(request, "mcee/api_token_created.html", {"token": new.token, "secret": new.secret,
                                                                        "account": account})
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "mcee/api_token_form.html", {
        "form": form, "title": _("New token for %(account)s") % {"account": account}, "account": account})


@require_POST
def token_revoke(request, pk: int):
    _require(request)
    token = get_object_or_404(ApiToken, pk=pk)
    api_token_revoke(token=token, user=request.user)
    messages.success(request, _("Token %(prefix)s (%(name)s) is revoked; it no longer works.")
                     % {"prefix": token.prefix, "name": token.name})
    return redirect("mcee_api_tokens")


class TokensMenuItem(MenuItem):
    def is_shown(self, request):
        return may_manage_tokens(request.user)


def menu_item() -> TokensMenuItem:
    return TokensMenuItem(_("API tokens"), reverse("mcee_api_tokens"), name="mcee-api-tokens", icon_name="key",
                          order=920)
