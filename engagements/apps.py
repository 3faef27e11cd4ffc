from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementsConfig(AppConfig):
    name = "engagements"
    verbose_name = _("Engagements")

    def ready(self):
        from auditlog.registry import auditlog

        from . import access
        from .models import Department, Engagement

        access.register()
        auditlog.register(Engagement, m2m_fields={"participating_departments", "projects_leveraged"})
        auditlog.register(Department)
