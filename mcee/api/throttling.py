"""Requests per token (or per signed-in person) and minute, counted on the shared cache (Redis in
production), so every web process counts the same requests. Too many: 429 with ``Retry-After``."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from ..models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self):
        return settings.MCEE_API_RATE  # read on each request, so a change of settings applies

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
