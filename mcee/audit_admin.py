"""The audit trail in the admin: browse, inspect and export, for auditors and MCET administrators.

Sensitive fields (classification rationale, RREP levers, escalation) are shown as restricted to
a reader whose role may not see them, here as everywhere else.
"""

from auditlog.models import LogEntry
from django.apps import apps
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, DateFromToRangeFilter, ModelChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView, InspectView

from . import access
from .admin_access import ProtectedModelViewSet
from .models import ImportRun

RESTRICTED = _("(restricted)")
ACTIONS = [(LogEntry.Action.CREATE, _("Created")), (LogEntry.Action.UPDATE, _("Changed")),
           (LogEntry.Action.DELETE, _("Deleted"))]


def entry_changes(user, entry: LogEntry) -> list[tuple[str, str, str]]:
    """(field, before, after) for one entry, with fields this user may not see restricted."""
    model = apps.get_model(entry.content_type.app_label, entry.content_type.model) if entry.content_type else None
    rows = []
    for field, values in (entry.changes_dict or {}).items():
        if isinstance(values, dict):  # many-to-many: {"type": "m2m", "operation": ..., "objects": [...]}
            before, after = values.get("operation", ""), ", ".join(str(o) for o in values.get("objects", []))
        else:
            before, after = values[0], values[1]
        if model is not None and not access.can_see_field(user, model, field):
            before = after = RESTRICTED
        rows.append((field, before, after))
    return rows


def entry_source(entry: LogEntry) -> str:
    return (entry.additional_data or {}).get("source", "")


class AuditFilterSet(WagtailFilterSet):
    action = ChoiceFilter(label=_("Action"), choices=ACTIONS)
    timestamp = DateFromToRangeFilter(label=_("Date"))
    actor = ModelChoiceFilter(label=_("By"), queryset=lambda request: _actors())

    class Meta:
        model = LogEntry
        fields = ["action", "content_type", "timestamp", "actor"]


def _actors():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk__in=LogEntry.objects.values("actor")).order_by("username")


def action_label(entry: LogEntry) -> str:
    return str(dict(ACTIONS).get(entry.action, entry.get_action_display()))


class ActionColumn(Column):
    def get_value(self, instance):
        return action_label(instance)


class SourceColumn(Column):
    def get_value(self, instance):
        return entry_source(instance)


class AuditIndexView(IndexView):
    def to_row_dict(self, item):
        changes = "; ".join(f"{field}: {before} → {after}"
                            for field, before, after in entry_changes(self.request.user, item))
        return {
            "timestamp": item.timestamp, "actor": str(item.actor or ""), "action": action_label(item),
            "content_type": str(item.content_type), "object_pk": item.object_pk, "object_repr": item.object_repr,
            "remote_addr": item.remote_addr or "", "source": entry_source(item), "changes": changes,
        }


class AuditInspectView(InspectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["changes"] = entry_changes(self.request.user, self.object)
        context["source"] = entry_source(self.object)
        context["action"] = action_label(self.object)
        return context


class AuditTrailViewSet(ProtectedModelViewSet):
    model = LogEntry
    index_view_class = AuditIndexView
    inspect_view_class = AuditInspectView
    icon = "history"
    menu_label = _("Audit trail")
    menu_order = 900
    add_to_settings_menu = True
    url_prefix = "audit-trail"
    name = "audit_trail"
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields = []
    list_display = [
        DateColumn("timestamp", label=_("When")),
        Column("actor", label=_("By")),
        ActionColumn("action", label=_("Action")),
        Column("content_type", label=_("Kind")),
        Column("object_repr", label=_("Record")),
        SourceColumn("source", label=_("Source")),
        Column("remote_addr", label=_("Address")),
    ]
    filterset_class = AuditFilterSet
    search_fields = ["object_repr", "changes_text"]
    search_backend_name = None
    list_export = ["timestamp", "actor", "action", "content_type", "object_pk", "object_repr",
                   "remote_addr", "source", "changes"]
    export_headings = {"timestamp": _("When"), "actor": _("By"), "action": _("Action"), "content_type": _("Kind"),
                       "object_pk": _("Record identifier"), "object_repr": _("Record"), "remote_addr": _("Address"),
                       "source": _("Source"), "changes": _("Changes")}
    export_filename = "mcee-audit-trail"
    inspect_template_name = "mcee/audit_entry.html"
    ordering = ["-timestamp"]

    def base_queryset(self):
        return LogEntry.objects.select_related("actor", "content_type")



class ImportRunViewSet(ProtectedModelViewSet):
    model = ImportRun
    icon = "upload"
    menu_label = _("Import runs")
    menu_order = 910
    add_to_settings_menu = True
    url_prefix = "import-runs"
    name = "import_runs"
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields = []
    list_display = [DateColumn("started_at", label=_("Started")), "kind", "file_name", "user", "source", "status",
                     "rows_read", "rows_written"]
    list_filter = ["kind", "status", "source"]
    list_export = ["started_at", "finished_at", "kind", "file_name", "checksum", "user", "source", "status",
                   "rows_read", "rows_checked", "rows_written", "counts", "errors"]
    export_filename = "mcee-import-runs"
    ordering = ["-started_at"]

    def base_queryset(self):
        return ImportRun.objects.select_related("user")
