"""Who is calling: a system account by its token, or a signed-in person (the browsable API)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from ..twofactor import two_factor_required
from .tokens import TokenRefused, token_check

KEYWORDS = ("bearer", "token")


class SystemTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer mcee_…`` (``Token mcee_…`` works too). ``request.auth`` is the ApiToken."""

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower().decode(errors="replace") not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_(
                "Send the token as “Authorization: Bearer <token>”, with no space inside the token."))
        try:
            raw = parts[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("This token is not valid."))
        try:
            token = token_check(raw)
        except TokenRefused as exc:
            raise exceptions.AuthenticationFailed(str(exc))
        return token.account.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="mcee"'


class PersonSessionAuthentication(authentication.SessionAuthentication):
    """A person signed in to the workspace reads the API in the browser under their own role (DRF's
    browsable API). Someone who still owes the second factor is not signed in here either; writes
    need the CSRF token, as DRF's session authentication always asks."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if two_factor_required(user) and not (hasattr(user, "is_verified") and user.is_verified()):
            return None
        return result
