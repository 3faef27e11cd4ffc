from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Portfolio")

    def ready(self):
        from auditlog.registry import auditlog

        from . import access, reports, signals  # noqa: F401  (reports and signals register themselves)
        from .models import Envelope, FundingLine, Partner, PriorityArea, Project, ProjectCountry

        access.register()
        auditlog.register(Project, m2m_fields={"priority_areas"})
        for model in (Envelope, PriorityArea, Partner, ProjectCountry, FundingLine):
            auditlog.register(model)
