from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Portfolio")

    def ready(self):
        from auditlog.registry import auditlog

        from . import access, reports, signals  # noqa: F401  (reports and signals register themselves)
        from .models import Envelope, FundingLine, KeyMessage, Partner, PriorityArea, Project, ProjectCountry

        access.register()
        from . import api

        api.register_api()  # its endpoints under /api/v1/ (mcee.api)
        access.register_proposals()
        access.register_results()
        from . import results_reports  # noqa: F401  (registers the PMF roll-up report)
        from .models import reporting as reporting_models
        from .models import results as results_models

        for model in (results_models.Outcome, results_models.EnvelopeIndicator, results_models.Result,
                      results_models.IndicatorPeriod, reporting_models.ReportSchedule,
                      reporting_models.PartnerReportValue, reporting_models.PartnerReportTransition):
            auditlog.register(model)
        auditlog.register(results_models.Indicator)
        auditlog.register(reporting_models.PartnerReport, exclude_fields=["updated_at"])
        from . import proposal_reports  # noqa: F401  (registers the proposal cycle-time report)
        from .models import proposals as proposal_models

        auditlog.register(proposal_models.Proposal, m2m_fields={"priority_areas"}, exclude_fields=["updated_at"])
        for model in (proposal_models.CallForProposals, proposal_models.ProposalCountry,
                      proposal_models.ProposalBudgetLine, proposal_models.ProposalDocument,
                      proposal_models.ProposalTransition, proposal_models.ProposalEndorsement, proposal_models.Review):
            auditlog.register(model)
        auditlog.register(Project, m2m_fields={"priority_areas"})
        for model in (Envelope, PriorityArea, Partner, ProjectCountry, FundingLine):
            auditlog.register(model)
        auditlog.register(KeyMessage, m2m_fields={"evidence_periods"})

        # The portfolio workbook can be imported from the admin (slug: projects.imports.IMPORT_KIND).
        from mcee.import_kinds import ImportKind
        from mcee.import_kinds import register as register_import

        register_import(ImportKind(
            "portfolio", _("Portfolio workbook"), "projects.imports.portfolio_import", extensions=(".xlsx",),
            accepts_folder=True, writes=("projects.partner", "projects.project", "projects.projectcountry",
                                         "projects.fundingline"),
            deletes=("projects.projectcountry", "projects.fundingline")))
