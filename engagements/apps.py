from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementsConfig(AppConfig):
    name = "engagements"
    verbose_name = _("Engagements")

    def ready(self):
        from auditlog.registry import auditlog

        from . import access, reports  # noqa: F401  (reports register themselves)
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
        access.register_rwg()
        auditlog.register(Engagement, m2m_fields={"participating_departments", "projects_leveraged"})
        auditlog.register(Department)
        auditlog.register(RWGMeeting, m2m_fields={"attending_departments", "agenda_countries"})
        auditlog.register(RWGDecision)
        auditlog.register(EngagementPlan, m2m_fields={"incentive_projects"})
        auditlog.register(PlanIndicator)
        auditlog.register(EscalationStep)
