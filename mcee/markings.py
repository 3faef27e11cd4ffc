"""The security marking: one setting, shown on every screen, export and PDF in its language."""

from django.conf import settings
from django.utils.translation import get_language


def marking_for(language: str | None = None) -> str:
    markings = settings.MCEE_SECURITY_MARKING
    language = (language or get_language() or settings.LANGUAGE_CODE)[:2]
    return markings.get(language) or markings[settings.LANGUAGE_CODE]


def security_marking(request):
    """Template context processor: ``{{ SECURITY_MARKING }}`` in the active language."""
    return {"SECURITY_MARKING": marking_for()}
