"""Writes of the engagements app, one module per concept: ``rwg`` (decisions, plans, escalation).
Import from the module itself (``engagements.services.rwg``); the RWG names are also here."""

from .rwg import (
    escalation_record,
    next_plan_version,
    plan_create,
    plan_revise,
    rwg_approve_plan,
    rwg_decide_classification,
    rwg_decide_escalation,
    rwg_note_progress,
)

__all__ = ["escalation_record", "next_plan_version", "plan_create", "plan_revise", "rwg_approve_plan",
           "rwg_decide_classification", "rwg_decide_escalation", "rwg_note_progress"]
