"""Language selection that leaves the admin, the API and files alone."""

from django.middleware.locale import LocaleMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

# Paths outside i18n_patterns. Django's LocaleMiddleware redirects a 404 to the same path under
# a language prefix when that path resolves; Wagtail's catch-all page route resolves anything, so
# without this an admin 404 (an object outside the user's reach) would become a redirect.
UNPREFIXED = ("/admin/", "/documents/", "/api/", "/static/", "/media/", "/i18n/")


class McEELocaleMiddleware(LocaleMiddleware):
    def process_response(self, request, response):
        if request.path_info.startswith(UNPREFIXED):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", get_language())
            return response
        return super().process_response(request, response)
