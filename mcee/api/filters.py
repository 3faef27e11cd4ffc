"""The filters every listing of the API shares: ``updated_since``, ``country`` and ``fiscal_year``.

A viewset says how they apply to its model: ``changed_field`` (default ``updated_at``),
``country_field`` (a lookup reaching the country's ISO code, e.g. ``country__code``) and
``fiscal_year_field`` with ``fiscal_year_kind`` (``"date"``: a date within the fiscal year;
``"start_year"``: an integer fiscal year stored as its start year). A filter the viewset does not
declare is not offered (nor documented) for it.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

from ..fiscal import FiscalYear


def parse_since(raw: str) -> dt.datetime:
    """ISO 8601, with a time zone (``2026-12-05T02:00:00Z``); a date alone is its midnight UTC; a
    time without a zone is read as UTC."""
    value = parse_datetime(raw)
    if value is None:
        day = parse_date(raw)
        if day is None:
            raise ValueError
        value = dt.datetime.combine(day, dt.time.min)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)  # OverflowError at the calendar's ends, refused like a bad value


class ChangesFilterBackend(BaseFilterBackend):
    def filter_queryset(self, request, queryset, view):
        params = request.query_params
        problems = {}
        since = params.get("updated_since")
        if since:
            try:
                changed = getattr(view, "changed_field", "updated_at")
                queryset = queryset.filter(**{f"{changed}__gt": parse_since(since)})
            except (ValueError, OverflowError):
                problems["updated_since"] = [_("'%(value)s' is not a date and time; write it in ISO 8601, for "
                                               "example 2026-12-05T02:00:00Z.") % {"value": since}]
        country_field = getattr(view, "country_field", None)
        country = params.get("country")
        if country and country_field:
            codes = [code.strip().upper() for code in country.split(",") if code.strip()]
            queryset = queryset.filter(**{f"{country_field}__in": codes})
        fiscal_field = getattr(view, "fiscal_year_field", None)
        label = params.get("fiscal_year")
        if label and fiscal_field:
            try:
                year = FiscalYear.parse(label)
            except ValueError as exc:
                year, problems["fiscal_year"] = None, [str(exc)]
            try:
                _bounds = (year.start, year.end) if year else None  # 0000-01 parses, but no calendar holds it
            except ValueError:
                year, problems["fiscal_year"] = None, [
                    _("'%(value)s' is not a fiscal year the MCEE can hold.") % {"value": label}]
            if year is not None:
                if getattr(view, "fiscal_year_kind", "date") == "start_year":
                    queryset = queryset.filter(**{fiscal_field: year.start_year})
                else:
                    queryset = queryset.filter(**{f"{fiscal_field}__range": (year.start, year.end)})
                queryset = queryset.distinct()
        if problems:
            raise ValidationError(problems)
        return queryset

    def get_schema_operation_parameters(self, view):
        parameters = [{
            "name": "updated_since", "required": False, "in": "query",
            "description": "Only rows changed after this moment (exclusive), ISO 8601 with a time zone, e.g. "
                           "2026-12-05T02:00:00Z: give the “until” of the previous pull.",
            "schema": {"type": "string", "format": "date-time"},
        }]
        if getattr(view, "country_field", None):
            parameters.append({
                "name": "country", "required": False, "in": "query",
                "description": "ISO 3166-1 alpha-2 code(s), comma-separated, e.g. XA or XA,XB.",
                "schema": {"type": "string"},
            })
        if getattr(view, "fiscal_year_field", None):
            parameters.append({
                "name": "fiscal_year", "required": False, "in": "query",
                "description": getattr(view, "fiscal_year_help", "Federal fiscal year, e.g. 2024-25."),
                "schema": {"type": "string", "pattern": r"^\d{4}-(\d{2}|\d{4})$"},
            })
        return parameters
