"""Who sees and changes engagements (rules for mcee.access).

A department officer acts for the departments granted to them or their group with the object
permission ``act_for_department`` (the officer groups get theirs by migration). They see and
change the engagements those departments lead or take part in, and no other.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mcee.access import FULL_SCOPE_ROLES, ModelRule, register_rule

from .models import (
    Department,
    DepartmentGroupObjectPermission,
    DepartmentUserObjectPermission,
    Engagement,
    EngagementGroupObjectPermission,
    EngagementUserObjectPermission,
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


def register():
    register_rule(EngagementRule(Engagement, user_grant_model=EngagementUserObjectPermission,
                                 group_grant_model=EngagementGroupObjectPermission))
    register_rule(DepartmentRule(Department, user_grant_model=DepartmentUserObjectPermission,
                                 group_grant_model=DepartmentGroupObjectPermission))
