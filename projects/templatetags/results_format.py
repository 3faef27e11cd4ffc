"""Indicator values for the reader's language: whole numbers without decimals (``2,900``), others with two."""

from decimal import Decimal

from django import template

from mcee.formatting import format_number, format_percent

register = template.Library()


def indicator_value(value) -> str:
    if value is None or value == "":
        return ""
    value = Decimal(value)
    return format_number(value, 0 if value == value.to_integral_value() else 2)


@register.filter(name="indicator_value")
def indicator_value_filter(value):
    return indicator_value(value)


@register.filter
def progress(value):
    """A share (0.5) as a percentage (50%)."""
    return "" if value is None else format_percent(Decimal(value) * 100, 0)
