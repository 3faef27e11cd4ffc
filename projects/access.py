"""Who sees which part of the portfolio (rules for mcee.access)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mcee.access import FULL_SCOPE_ROLES, ModelRule, register_rule, visible
from mcee.roles import AUDITOR, MCET_ADMIN, MCET_STAFF, PARTNER_REPORTER, RWG_MEMBER

from .models import (
    Envelope,
    FundingLine,
    KeyMessageStatus,
    Partner,
    PartnerGroupObjectPermission,
    PartnerUserObjectPermission,
    PriorityArea,
    Project,
    ProjectCountry,
    ProjectGroupObjectPermission,
    ProjectStatus,
    ProjectUserObjectPermission,
)

REPORTER_GRANT = "view_partner"  # the object permission that makes a group a partner's reporters


def granted_partners(user):
    """Partners whose reporters this user is, through a guardian grant to them or their group."""
    return Q(pk__in=PartnerGroupObjectPermission.objects.filter(
        group__user=user, permission__codename=REPORTER_GRANT).values("content_object")) | Q(
        pk__in=PartnerUserObjectPermission.objects.filter(
            user=user, permission__codename=REPORTER_GRANT).values("content_object"))


class ProjectRule(ModelRule):
    def scope(self, user, roles):
        if roles & FULL_SCOPE_ROLES:
            return None
        reach = Q(pk__in=[])
        if any(code.startswith("officer_") for code in roles):
            # Officers read projects, but not funding decisions still in progress.
            reach |= ~Q(status=ProjectStatus.PIPELINE)
        if PARTNER_REPORTER in roles:
            reach |= Q(partner__in=Partner.objects.filter(granted_partners(user)))
        return reach


class PartnerRule(ModelRule):
    def scope(self, user, roles):
        if roles & FULL_SCOPE_ROLES or any(code.startswith("officer_") for code in roles):
            return None
        if PARTNER_REPORTER in roles:
            return granted_partners(user)
        return Q(pk__in=[])


class ProjectPartRule(ModelRule):
    """Funding lines and country shares follow their project."""

    def scope(self, user, roles):
        if roles & FULL_SCOPE_ROLES:
            return None
        return Q(project__in=visible(user, Project))


class KeyMessageRule(ModelRule):
    """Only approved messages leave MCET: the RWG and department officers see those alone; MCET and
    auditors see drafts and retired ones too."""

    def scope(self, user, roles):
        if roles & {MCET_ADMIN.code, MCET_STAFF.code, AUDITOR.code}:
            return None
        if RWG_MEMBER.code in roles or any(code.startswith("officer_") for code in roles):
            return Q(status=KeyMessageStatus.APPROVED)
        return Q(pk__in=[])


class ReferenceRule(ModelRule):
    """Reference data: whoever may view the kind may view all of it."""

    def scope(self, user, roles):
        return None


def register():
    from . import models as m

    register_rule(ProjectRule(Project, user_grant_model=ProjectUserObjectPermission,
                              group_grant_model=ProjectGroupObjectPermission))
    register_rule(PartnerRule(Partner, user_grant_model=PartnerUserObjectPermission,
                              group_grant_model=PartnerGroupObjectPermission))
    register_rule(ProjectPartRule(FundingLine, user_grant_model=m.FundingLineUserObjectPermission,
                                  group_grant_model=m.FundingLineGroupObjectPermission))
    register_rule(ProjectPartRule(ProjectCountry, user_grant_model=m.ProjectCountryUserObjectPermission,
                                  group_grant_model=m.ProjectCountryGroupObjectPermission))
    register_rule(ReferenceRule(PriorityArea, user_grant_model=m.PriorityAreaUserObjectPermission,
                                group_grant_model=m.PriorityAreaGroupObjectPermission))
    register_rule(ReferenceRule(Envelope, user_grant_model=m.EnvelopeUserObjectPermission,
                                group_grant_model=m.EnvelopeGroupObjectPermission))
    register_rule(KeyMessageRule(m.KeyMessage, user_grant_model=m.KeyMessageUserObjectPermission,
                                 group_grant_model=m.KeyMessageGroupObjectPermission))


# --- Calls for proposals, proposals and their review (issue 7) ---
# MCET, the RWG and auditors see all of them (their model permissions say what each may do);
# department officers and partner reporters none: partner-side submission comes later.
class ProposalRule(ModelRule):
    """The default: every object for the full-scope roles, none for anyone else."""


def register_proposals():
    from . import models as m

    for model in (m.CallForProposals, m.Proposal, m.ProposalCountry, m.ProposalBudgetLine, m.ProposalDocument,
                  m.ProposalTransition, m.ProposalEndorsement, m.Review):
        register_rule(ProposalRule(model, user_grant_model=getattr(m, f"{model.__name__}UserObjectPermission"),
                                   group_grant_model=getattr(m, f"{model.__name__}GroupObjectPermission")))


# --- The results framework and partner reporting (issue 7, second part) ---
# Results, indicators, periods, schedules and reports follow their project: whoever sees the project sees
# them, if their role reads that kind at all (department officers read results, not partner reports). A
# partner's reporters thus reach their own partner's projects only, through the ``view_partner`` grant.
class ProjectPathRule(ModelRule):
    """Objects reached through their project (``path`` to it: "project", "result__project", ...)."""

    def __init__(self, model, path, **kwargs):
        super().__init__(model, **kwargs)
        self.path = path

    def scope(self, user, roles):
        if roles & FULL_SCOPE_ROLES:
            return None
        return Q(**{f"{self.path}__in": visible(user, Project)})


class ReportRule(ProjectPathRule):
    """A partner's reporters change their own reports (and the values in them) only while the report is
    to be submitted or returned to them; once submitted, it is MCET's to accept or return."""

    def __init__(self, model, path, status_path, **kwargs):
        kwargs.setdefault("change_refused", _("This report is with MCET (submitted or accepted): it can be "
                                              "changed only if MCET returns it."))
        super().__init__(model, path, **kwargs)
        self.status_path = status_path

    def change_scope(self, user, roles):
        from .models import OPEN_STATUSES

        base = self.scope(user, roles)
        if base is None:
            return None
        return base & Q(**{f"{self.status_path}__in": OPEN_STATUSES})


def register_results():
    from . import models as m

    def grants(model):
        return {"user_grant_model": getattr(m, f"{model.__name__}UserObjectPermission"),
                "group_grant_model": getattr(m, f"{model.__name__}GroupObjectPermission")}

    for model in (m.Outcome, m.EnvelopeIndicator):
        register_rule(ReferenceRule(model, **grants(model)))
    for model, path in ((m.Result, "project"), (m.Indicator, "result__project"),
                        (m.IndicatorPeriod, "indicator__result__project"), (m.ReportSchedule, "project"),
                        (m.PartnerReportTransition, "report__project")):
        register_rule(ProjectPathRule(model, path, **grants(model)))
    register_rule(ReportRule(m.PartnerReport, "project", "status", **grants(m.PartnerReport)))
    register_rule(ReportRule(m.PartnerReportValue, "report__project", "report__status",
                             **grants(m.PartnerReportValue)))
