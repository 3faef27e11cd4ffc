"""Two-factor authentication: a TOTP app (or a one-time backup code) after the password.

Required for the roles in ``MCEE_TWO_FACTOR_REQUIRED_ROLES`` (MCET administrators), available to
every user from the account menu. A user who must use it and has no device yet is taken to the
set-up page; one who has a device is asked for a code before any other admin page.
"""

from __future__ import annotations

import base64
import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import roles_of

# The sign-in and two-factor pages themselves, and what those pages load: Wagtail's icon sprite (fetched and
# inlined by script: redirected, it put a second copy of the page inside the page) and its JavaScript catalogue.
EXEMPT_PREFIXES = ("/admin/login/", "/admin/logout/", "/admin/two-factor/", "/static/", "/i18n/",
                   "/admin/password_reset/", "/admin/sprite/", "/admin/jsi18n/")


def two_factor_required(user) -> bool:
    required = set(getattr(settings, "MCEE_TWO_FACTOR_REQUIRED_ROLES", []))
    return bool(getattr(user, "is_authenticated", False) and (roles_of(user) & required))


def has_confirmed_device(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


class RequireTwoFactorMiddleware:
    """Stops a user who needs a second factor at the set-up or verify page until they give one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        path = request.path
        if (user is not None and path.startswith("/admin/") and not path.startswith(EXEMPT_PREFIXES)
                and two_factor_required(user) and not user.is_verified()):
            target = "mcee_two_factor_verify" if has_confirmed_device(user) else "mcee_two_factor_setup"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"), max_length=16, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."),
    )


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or reverse("wagtailadmin_home")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


INVALID = _("That code is not valid. Check your device's clock and try again.")
THROTTLED = _("Too many wrong codes in a row. Wait a few seconds, then try again.")


def _throttled(devices) -> bool:
    return any(hasattr(d, "verify_is_allowed") and not d.verify_is_allowed()[0] for d in devices)


def verify(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttled = _throttled(devices_for_user(request.user, confirmed=True))
        device = None if throttled else match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("token", THROTTLED if throttled else INVALID)
    return render(request, "mcee/two_factor_verify.html", {"form": form, "next": _safe_next(request)})


def _qr_svg(uri: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue().decode()


def setup(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=str(_("Authenticator app")), confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttled = _throttled([device])
        if not throttled and device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is on for your account."))
            return redirect(_safe_next(request))
        form.add_error("token", THROTTLED if throttled else INVALID)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(request, "mcee/two_factor_setup.html", {
        "form": form, "secret": secret, "qr_svg": _qr_svg(device.config_url), "next": _safe_next(request),
        "required": two_factor_required(request.user),
    })
