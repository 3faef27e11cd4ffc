from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class McEEConfig(AppConfig):
    name = "mcee"
    verbose_name = _("MCEE")

    def ready(self):
        from auditlog.models import LogEntry
        from auditlog.registry import auditlog

        from .access import ModelRule, register_rule
        from .models import ImportRun, ImportRunGroupObjectPermission, ImportRunUserObjectPermission

        # The audit trail and import runs are protected like any record (see mcee/roles.py for who).
        # The audit trail is a library's model: no object grants, only roles read it.
        register_rule(ModelRule(LogEntry))
        register_rule(ModelRule(ImportRun, user_grant_model=ImportRunUserObjectPermission,
                                group_grant_model=ImportRunGroupObjectPermission))
        auditlog.register(ImportRun, exclude_fields=["rows_read", "rows_checked"])
        # System accounts and their tokens (the API): who made, changed or revoked them. The digest
        # stands for a secret and last use moves all day: neither goes into the trail.
        from .api import schema  # noqa: F401 (registers the token scheme with drf-spectacular)
        from .spreadsheets import protect_wagtail_exports

        protect_wagtail_exports()  # Wagtail's own downloads: the marking row, no formula
        from .models import ApiToken, SystemAccount

        auditlog.register(SystemAccount)
        auditlog.register(ApiToken, exclude_fields=["digest", "last_used_at"])
        # Wagtail's reference index would add a row for every audit entry; they refer to nothing
        # a user edits, so keep them out of it.
        LogEntry.wagtail_reference_index_ignore = True
