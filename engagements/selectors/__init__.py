"""Reads of the engagements app, one module per concept: ``rwg`` (escalation, plans, decisions).
Import from the module itself (``engagements.selectors.rwg``); the RWG names are also here."""

from .rwg import countries_with_escalation, decisions_for_country, escalation_current, plan_current, plan_history

__all__ = ["countries_with_escalation", "decisions_for_country", "escalation_current", "plan_current",
           "plan_history"]
