"""Listing columns that format values for the reader's language."""

from wagtail.admin.ui.tables import Column

from .formatting import format_money


class MoneyColumn(Column):
    def get_value(self, instance):
        return format_money(super().get_value(instance))
