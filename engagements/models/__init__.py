"""Engagements (``base``) and the Removals Working Group's meetings, decisions, engagement plans and
escalation ladder (``rwg``)."""

from .base import (
    Department,
    DepartmentGroupObjectPermission,
    DepartmentUserObjectPermission,
    Engagement,
    EngagementGroupObjectPermission,
    EngagementKind,
    EngagementLevel,
    EngagementStatus,
    EngagementUserObjectPermission,
)
from .rwg import (
    CABINET_LEVELS,
    DecisionKind,
    EngagementPlan,
    EngagementPlanGroupObjectPermission,
    EngagementPlanUserObjectPermission,
    EscalationLevel,
    EscalationStep,
    EscalationStepGroupObjectPermission,
    EscalationStepUserObjectPermission,
    MeetingLevel,
    PlanIndicator,
    PlanIndicatorGroupObjectPermission,
    PlanIndicatorUserObjectPermission,
    PlanStatus,
    PlanType,
    RWGDecision,
    RWGDecisionGroupObjectPermission,
    RWGDecisionUserObjectPermission,
    RWGMeeting,
    RWGMeetingGroupObjectPermission,
    RWGMeetingUserObjectPermission,
)

__all__ = [
    "CABINET_LEVELS", "DecisionKind", "Department", "DepartmentGroupObjectPermission",
    "DepartmentUserObjectPermission", "Engagement", "EngagementGroupObjectPermission", "EngagementKind",
    "EngagementLevel", "EngagementPlan", "EngagementPlanGroupObjectPermission", "EngagementPlanUserObjectPermission",
    "EngagementStatus", "EngagementUserObjectPermission", "EscalationLevel", "EscalationStep",
    "EscalationStepGroupObjectPermission", "EscalationStepUserObjectPermission", "MeetingLevel", "PlanIndicator",
    "PlanIndicatorGroupObjectPermission", "PlanIndicatorUserObjectPermission", "PlanStatus", "PlanType",
    "RWGDecision", "RWGDecisionGroupObjectPermission", "RWGDecisionUserObjectPermission", "RWGMeeting",
    "RWGMeetingGroupObjectPermission", "RWGMeetingUserObjectPermission",
]
