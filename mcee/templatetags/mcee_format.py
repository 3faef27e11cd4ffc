from django import template

from mcee.fiscal import FiscalQuarter, FiscalYear
from mcee.formatting import format_money, format_number, format_percent

register = template.Library()


@register.filter
def money(value):
    return format_money(value)


@register.filter
def number(value, decimals=0):
    return format_number(value, int(decimals))


@register.filter
def percent(value, decimals=1):
    return format_percent(value, int(decimals))


@register.filter
def fiscal_label(value):
    if isinstance(value, (FiscalYear, FiscalQuarter)):
        return value.localized_label()
    if isinstance(value, int):
        return FiscalYear(value).localized_label()
    return value
