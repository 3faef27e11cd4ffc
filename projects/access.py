"""Who sees which part of the portfolio (rules for mcee.access)."""

from django.db.models import Q

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
