"""Pages in the order of last change, for a nightly job that pulls "what changed since yesterday".

Every listing is ordered by ``updated_at`` then ``id`` (unique, so the order is total) and paged by
keyset, not by offset: the next page starts after the last row of this one, whatever was added or
changed meanwhile, so no row is skipped because another moved.

The first page fixes the pull's **high-water mark**, ``until`` (now, less ``MCEE_API_SETTLE_SECONDS``
so that a transaction still being written is not passed over), and every page of the pull reads
only rows changed up to then. A row that changes while the pull runs is therefore not read twice in
it; it comes in the next pull, which asks ``updated_since=<until of this one>``. Each response gives
``until``; ``next`` is the address of the following page (null on the last).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


def _stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


class ChangesPagination(BasePagination):
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    changed_field = "updated_at"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        field = getattr(view, "changed_field", self.changed_field)
        size = self._page_size(request)
        cursor = self._cursor(request)
        if cursor is None:
            self.until = timezone.now() - dt.timedelta(seconds=settings.MCEE_API_SETTLE_SECONDS)
            after = None
        else:
            self.until, after = cursor
        queryset = queryset.filter(**{f"{field}__lte": self.until}).order_by(field, "pk")
        if after is not None:
            changed, pk = after
            queryset = queryset.filter(Q(**{f"{field}__gt": changed}) | Q(**{field: changed, "pk__gt": pk}))
        rows = list(queryset[:size + 1])
        self.has_next = len(rows) > size
        rows = rows[:size]
        self.next_cursor = self._encode(self.until, getattr(rows[-1], field), rows[-1].pk) if self.has_next else None
        return rows

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "until": _stamp(self.until), "results": data})

    def get_next_link(self):
        if self.next_cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self.next_cursor)

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "until", "results"],
            "properties": {
                "next": {"type": "string", "format": "uri", "nullable": True,
                         "description": "The address of the next page; null on the last page."},
                "until": {"type": "string", "format": "date-time",
                          "description": "This pull's high-water mark: every row changed up to then and "
                                         "matching the filters is in the pull's pages. Ask the next pull "
                                         "with updated_since set to it."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {"name": self.cursor_query_param, "required": False, "in": "query",
             "description": "Where the next page starts: copy it from the “next” address; do not build it.",
             "schema": {"type": "string"}},
            {"name": self.page_size_query_param, "required": False, "in": "query",
             "description": f"Rows per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}).",
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}},
        ]

    def _page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw in (None, ""):
            return DEFAULT_PAGE_SIZE
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            raise ValidationError({self.page_size_query_param: [
                _("Give a whole number from 1 to %(max)s.") % {"max": MAX_PAGE_SIZE}]})
        return int(raw)

    def _encode(self, until: dt.datetime, changed: dt.datetime, pk: int) -> str:
        payload = json.dumps({"u": _stamp(until), "c": _stamp(changed), "p": pk}, separators=(",", ":"))
        return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")

    def _cursor(self, request):
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            return None
        try:
            payload = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
            until, changed, pk = parse_datetime(payload["u"]), parse_datetime(payload["c"]), int(payload["p"])
            if until is None or changed is None or timezone.is_naive(until) or timezone.is_naive(changed):
                raise ValueError
        except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError):
            raise ValidationError({self.cursor_query_param: [
                _("This cursor is not one the API gave; follow the “next” address of the previous page.")]})
        return until, (changed, pk)

