from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementsConfig(AppConfig):
    name = "engagements"
    verbose_name = _("Engagements")

    def ready(self):
        from auditlog.registry import auditlog

        from . import access, reports, reports_dissemination  # noqa: F401  (reports register themselves)
        from . import models as m
        from .models import (
            Department,
            Engagement,
            EngagementPlan,
            EscalationStep,
            PlanIndicator,
            RWGDecision,
            RWGMeeting,
        )

        access.register()
        from . import api

        api.register_api()  # its endpoints under /api/v1/ (mcee.api)
        access.register_rwg()
        auditlog.register(Engagement, m2m_fields={"participating_departments", "projects_leveraged",
                                                  "key_messages_used"})
        for model in (m.FollowUp, m.ResponsibilityActivity, m.Responsibility, m.DistributionRecipient):
            auditlog.register(model)
        auditlog.register(m.DisseminationPlan, m2m_fields={"audience_departments", "key_messages"})
        auditlog.register(m.Distribution, m2m_fields={"key_messages"})
        auditlog.register(Department)
        auditlog.register(RWGMeeting, m2m_fields={"attending_departments", "agenda_countries"})
        auditlog.register(RWGDecision)
        auditlog.register(EngagementPlan, m2m_fields={"incentive_projects"})
        auditlog.register(PlanIndicator)
        auditlog.register(EscalationStep)

        # Historical engagements can be imported from the admin as well as by the command.
        from mcee.import_kinds import ImportKind
        from mcee.import_kinds import register as register_import

        register_import(ImportKind(
            "engagements", _("Engagements (historical)"), "engagements.imports.engagements_import",
            writes=("engagements.engagement",)))
