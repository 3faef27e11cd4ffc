from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class McEEConfig(AppConfig):
    name = "mcee"
    verbose_name = _("MCEE")

    def ready(self):
        from auditlog.models import LogEntry

        from .access import ModelRule, register_rule

        # The audit trail is protected like any record: auditors and MCET administrators read it.
        register_rule(ModelRule(LogEntry))
