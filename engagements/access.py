"""Who sees and changes engagements (rules for mcee.access).

A department officer acts for the departments granted to them or their group with the object
permission ``act_for_department`` (the officer groups get theirs by migration). They see and
change the engagements those departments lead or take part in, and no other.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mcee.access import FULL_SCOPE_ROLES, SENSITIVE_FIELD_ROLES, ModelRule, register_rule

from .models import (
    Department,
    DepartmentGroupObjectPermission,
    DepartmentUserObjectPermission,
    Engagement,
    EngagementGroupObjectPermission,
    EngagementUserObjectPermission,
    RWGDecision,
)

ACT_FOR_DEPARTMENT = "act_for_department"


def departments_acted_for(user):
    return Department.objects.filter(
        Q(pk__in=DepartmentGroupObjectPermission.objects.filter(
            group__user=user, permission__codename=ACT_FOR_DEPARTMENT).values("content_object"))
        | Q(pk__in=DepartmentUserObjectPermission.objects.filter(
            user=user, permission__codename=ACT_FOR_DEPARTMENT).values("content_object")))


class EngagementRule(ModelRule):
    change_refused = _("Only a department that leads or takes part in this engagement may change it.")

    def scope(self, user, roles):
        if roles & FULL_SCOPE_ROLES:
            return None
        if any(code.startswith("officer_") for code in roles):
            departments = departments_acted_for(user)
            return Q(lead_department__in=departments) | Q(participating_departments__in=departments)
        return Q(pk__in=[])


class DepartmentRule(ModelRule):
    def scope(self, user, roles):
        return None


class FollowUpRule(ModelRule):
    """Follow-ups: an officer's departments' engagements, and the actions those departments own."""

    change_refused = _("Only a department that takes part in the engagement or owns the action may change it.")

    def scope(self, user, roles):
        if roles & FULL_SCOPE_ROLES:
            return None
        if any(code.startswith("officer_") for code in roles):
            departments = departments_acted_for(user)
            return (Q(engagement__lead_department__in=departments)
                    | Q(engagement__participating_departments__in=departments)
                    | Q(owner_department__in=departments))
        return Q(pk__in=[])


class SharedReferenceRule(ModelRule):
    """Read by every role that may view the kind (the responsibility matrix, dissemination plans)."""

    def scope(self, user, roles):
        return None


class DistributionRule(ModelRule):
    """Distributions: MCET, the RWG and auditors see all; an officer, those sent to its departments."""

    def scope(self, user, roles):
        if roles & FULL_SCOPE_ROLES:
            return None
        if any(code.startswith("officer_") for code in roles):
            return Q(recipients__department__in=departments_acted_for(user))
        return Q(pk__in=[])


class DistributionRecipientRule(ModelRule):
    """An officer sees and acknowledges what reached its own departments."""

    change_refused = _("Only the receiving department may acknowledge a distribution.")

    def scope(self, user, roles):
        if roles & FULL_SCOPE_ROLES:
            return None
        if any(code.startswith("officer_") for code in roles):
            return Q(department__in=departments_acted_for(user))
        return Q(pk__in=[])


def register():
    from . import models as m

    register_rule(FollowUpRule(m.FollowUp, user_grant_model=m.FollowUpUserObjectPermission,
                               group_grant_model=m.FollowUpGroupObjectPermission))
    register_rule(SharedReferenceRule(
        m.ResponsibilityActivity, user_grant_model=m.ResponsibilityActivityUserObjectPermission,
        group_grant_model=m.ResponsibilityActivityGroupObjectPermission))
    register_rule(SharedReferenceRule(m.Responsibility, user_grant_model=m.ResponsibilityUserObjectPermission,
                                      group_grant_model=m.ResponsibilityGroupObjectPermission))
    register_rule(SharedReferenceRule(m.DisseminationPlan, user_grant_model=m.DisseminationPlanUserObjectPermission,
                                      group_grant_model=m.DisseminationPlanGroupObjectPermission))
    register_rule(DistributionRule(m.Distribution, user_grant_model=m.DistributionUserObjectPermission,
                                   group_grant_model=m.DistributionGroupObjectPermission))
    register_rule(DistributionRecipientRule(
        m.DistributionRecipient, user_grant_model=m.DistributionRecipientUserObjectPermission,
        group_grant_model=m.DistributionRecipientGroupObjectPermission))
    register_rule(EngagementRule(Engagement, user_grant_model=EngagementUserObjectPermission,
                                 group_grant_model=EngagementGroupObjectPermission))
    register_rule(DepartmentRule(Department, user_grant_model=DepartmentUserObjectPermission,
                                 group_grant_model=DepartmentGroupObjectPermission))


class RWGRecordRule(ModelRule):
    """Meetings and decisions: MCET and the RWG see all; an auditor sees all but escalation decisions."""

    def scope(self, user, roles):
        if roles & SENSITIVE_FIELD_ROLES:
            return None
        if roles & FULL_SCOPE_ROLES:
            return ~Q(kind="escalate") if self.model is RWGDecision else None
        return Q(pk__in=[])


class PlanRule(ModelRule):
    """Plans: whoever may view them sees every version; negative levers are for MCET and the RWG."""

    def scope(self, user, roles):
        return None if roles & FULL_SCOPE_ROLES else Q(pk__in=[])


class EscalationRule(ModelRule):
    """Escalation is for MCET and the RWG only (the role table gives nobody else the kind)."""

    def scope(self, user, roles):
        return None if roles & SENSITIVE_FIELD_ROLES else Q(pk__in=[])


def register_rwg():
    from . import models as m

    register_rule(RWGRecordRule(m.RWGMeeting, user_grant_model=m.RWGMeetingUserObjectPermission,
                                group_grant_model=m.RWGMeetingGroupObjectPermission))
    register_rule(RWGRecordRule(m.RWGDecision, user_grant_model=m.RWGDecisionUserObjectPermission,
                                group_grant_model=m.RWGDecisionGroupObjectPermission))
    register_rule(PlanRule(m.EngagementPlan, sensitive_fields=("negative_levers",),
                           user_grant_model=m.EngagementPlanUserObjectPermission,
                           group_grant_model=m.EngagementPlanGroupObjectPermission))
    register_rule(PlanRule(m.PlanIndicator, user_grant_model=m.PlanIndicatorUserObjectPermission,
                           group_grant_model=m.PlanIndicatorGroupObjectPermission))
    register_rule(EscalationRule(m.EscalationStep, sensitive_fields=("rationale",),
                                 user_grant_model=m.EscalationStepUserObjectPermission,
                                 group_grant_model=m.EscalationStepGroupObjectPermission))
