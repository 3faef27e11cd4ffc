"""Numbers, money and dates formatted for the active language (``1 234,50 $`` in French)."""

from decimal import ROUND_HALF_UP, Decimal

from mcee.i18n import active_language

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space, the French thousands separator


def format_number(value, decimals: int = 0, language: str | None = None) -> str:
    if value is None or value == "":
        return ""
    quantum = Decimal(1).scaleb(-decimals)
    number = Decimal(value).quantize(quantum, ROUND_HALF_UP)
    text = f"{number:,.{decimals}f}"
    if active_language(language) == "fr":
        return text.replace(",", NNBSP).replace(".", ",")
    return text


def format_money(value, language: str | None = None, decimals: int = 0) -> str:
    if value is None or value == "":
        return ""
    number = format_number(abs(Decimal(value)), decimals, language)
    sign = "-" if Decimal(value) < 0 else ""
    if active_language(language) == "fr":
        return f"{sign}{number}{NBSP}$"
    return f"{sign}${number}"


def format_percent(value, decimals: int = 1, language: str | None = None) -> str:
    if value is None or value == "":
        return ""
    number = format_number(Decimal(value), decimals, language)
    return f"{number}{NBSP}%" if active_language(language) == "fr" else f"{number}%"


def format_date(value, language: str | None = None) -> str:
    """A date as people write it in the language: ``Dec. 6, 2026``, ``6 décembre 2026``."""
    if value is None or value == "":
        return ""
    from django.utils import formats, translation

    with translation.override(active_language(language)):
        return formats.date_format(value, "DATE_FORMAT")
