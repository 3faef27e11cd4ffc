"""Paired English/French fields: pick the active language, fall back visibly to the other."""

from dataclasses import dataclass

from django.utils.translation import get_language


@dataclass(frozen=True)
class LocalizedText:
    text: str
    language: str
    is_fallback: bool

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def active_language(language: str | None = None) -> str:
    return "fr" if (language or get_language() or "en")[:2] == "fr" else "en"


def localized(obj, field: str, language: str | None = None) -> LocalizedText:
    """``localized(project, "title")`` reads ``title_fr`` in French, ``title_en`` otherwise.

    When the wanted language is empty the other one is returned with ``is_fallback`` set, so a
    template can mark it (``lang`` attribute and a visible note) instead of hiding the gap.
    """
    wanted = active_language(language)
    other = "en" if wanted == "fr" else "fr"
    text = getattr(obj, f"{field}_{wanted}", "") or ""
    if text:
        return LocalizedText(text, wanted, False)
    return LocalizedText(getattr(obj, f"{field}_{other}", "") or "", other, True)
