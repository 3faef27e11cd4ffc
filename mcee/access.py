"""The one access policy: "may this user do this to this object, and if not, why" and
"which objects of this kind may this user see".

Admin listings and object views, exports, reports, front-end pages, PDFs and the API all ask
here. Apps describe their models in ``<app>/access.py`` with a :class:`ModelRule`; this module
knows no app (it speaks of models by their ``app_label.model`` label).

Two layers decide:

1. The **model permission** of the user's role (``mcee.roles``): may this role view, add,
   change or delete this kind of object at all?
2. The **scope** of the rule: which objects of that kind. A rule returns a ``Q`` filter for the
   role's reach (``None`` for everything), and object grants stored by django-guardian in direct
   foreign-key tables widen it object by object.

A forbidden object is answered as absent (404) when the user may not see it, and as forbidden
(403) when they may see it but not do the action: never a partial page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import roles as role_table

LIST, VIEW, ADD, CHANGE, DELETE, EXPORT = "list", "view", "add", "change", "delete", "export"
ACTIONS = (LIST, VIEW, ADD, CHANGE, DELETE, EXPORT)
# The model permission each action needs.
_CODENAME_ACTION = {LIST: "view", VIEW: "view", EXPORT: "view", ADD: "add", CHANGE: "change", DELETE: "delete"}

# Roles that see every object of the kinds their model permissions allow.
FULL_SCOPE_ROLES = frozenset({role_table.MCET_ADMIN.code, role_table.MCET_STAFF.code,
                              role_table.RWG_MEMBER.code, role_table.AUDITOR.code})
# Roles allowed to see sensitive fields (RREP levers, escalation, classification rationale).
SENSITIVE_FIELD_ROLES = frozenset({role_table.MCET_ADMIN.code, role_table.MCET_STAFF.code,
                                   role_table.RWG_MEMBER.code})


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: Any = ""  # a translated sentence saying why not
    visible: bool = True  # False: the object must look absent (404), not forbidden (403)

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Decision(True)


@dataclass
class ModelRule:
    """How one model is protected. Subclass and override ``scope``; register with ``register_rule``."""

    model: type[Model]
    sensitive_fields: tuple[str, ...] = ()
    # Guardian direct-FK grant models (user and group) whose rows widen the scope.
    user_grant_model: type[Model] | None = None
    group_grant_model: type[Model] | None = None
    # Said to a user who may see an object but not change it.
    change_refused: Any = _("Your role may read this record but not change it.")

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def scope(self, user, roles: set[str]) -> Q | None:
        """The role-based reach: ``None`` for every object, a ``Q`` otherwise."""
        return None if roles & FULL_SCOPE_ROLES else Q(pk__in=[])

    def change_scope(self, user, roles: set[str]) -> Q | None:
        """Which visible objects the user may change or delete; the same as ``scope`` by default."""
        return self.scope(user, roles)

    def grant_filter(self, user, codenames: list[str]) -> Q | None:
        """Objects granted to the user or one of their groups through guardian."""
        parts = []
        if self.user_grant_model is not None:
            parts.append(Q(pk__in=self.user_grant_model.objects.filter(
                user=user, permission__codename__in=codenames).values("content_object")))
        if self.group_grant_model is not None:
            parts.append(Q(pk__in=self.group_grant_model.objects.filter(
                group__user=user, permission__codename__in=codenames).values("content_object")))
        if not parts:
            return None
        combined = parts[0]
        for part in parts[1:]:
            combined |= part
        return combined


_RULES: dict[str, ModelRule] = {}


def register_rule(rule: ModelRule) -> ModelRule:
    _RULES[rule.label] = rule
    return rule


def rule_for(model) -> ModelRule:
    label = model._meta.label_lower
    try:
        return _RULES[label]
    except KeyError:
        raise LookupError(f"{label} has no access rule; every protected model needs one.") from None


def protected_models() -> list[type[Model]]:
    return [rule.model for rule in _RULES.values()]


def roles_of(user) -> set[str]:
    """The role codes a user holds, from their groups (read once per user object)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_mcee_roles", None)
    if cached is None:
        cached = role_table.role_codes_for_groups(set(user.groups.values_list("name", flat=True)))
        user._mcee_roles = cached
    return cached


def _has_model_perm(user, model, action: str) -> bool:
    return user.has_perm(f"{model._meta.app_label}.{_CODENAME_ACTION[action]}_{model._meta.model_name}")


def _scope_q(user, model, action: str) -> Q | None:
    """``None`` for no restriction; otherwise the filter of objects the user may act on."""
    if user.is_superuser:
        return None
    rule = rule_for(model)
    roles = roles_of(user)
    base = rule.change_scope(user, roles) if action in (CHANGE, DELETE) else rule.scope(user, roles)
    if base is None:
        return None
    name = model._meta.model_name
    # A grant to change or delete an object implies seeing it.
    codenames = ([f"view_{name}", f"change_{name}", f"delete_{name}"] if _CODENAME_ACTION[action] == "view"
                 else [f"{_CODENAME_ACTION[action]}_{name}"])
    grants = rule.grant_filter(user, codenames)
    return base | grants if grants is not None else base


def visible(user, queryset_or_model, action: str = VIEW) -> QuerySet:
    """The objects of a kind this user may see (or act on), as one filtered queryset."""
    queryset = (queryset_or_model._default_manager.all()
                if isinstance(queryset_or_model, type) else queryset_or_model)
    model = queryset.model
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if not user.is_superuser and not _has_model_perm(user, model, action):
        return queryset.none()
    q = _scope_q(user, model, action)
    return queryset if q is None else queryset.filter(q).distinct()


def can(user, action: str, obj_or_model) -> Decision:
    """May ``user`` do ``action`` to this object (or to this kind of object, given a model)?"""
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}.")
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Decision(False, _("Sign in to continue."), visible=False)
    if user.is_superuser:
        return ALLOWED
    rule_for(model)  # every protected model has a rule
    if not _has_model_perm(user, model, action):
        seen = _has_model_perm(user, model, VIEW)
        return Decision(False, _("Your role does not allow this action on this kind of record (%(kind)s).")
                        % {"kind": model._meta.verbose_name_plural}, visible=seen)
    if isinstance(obj_or_model, type):
        return ALLOWED
    obj = obj_or_model
    if not visible(user, model).filter(pk=obj.pk).exists():
        return Decision(False, _("This record does not exist or is outside what your role may see."),
                        visible=False)
    if action in (CHANGE, DELETE) and not visible(user, model, action).filter(pk=obj.pk).exists():
        return Decision(False, rule_for(model).change_refused)
    return ALLOWED


def is_scoped(user, model) -> bool:
    """True when the user sees only part of this kind of object (aggregates over all must be hidden)."""
    if not getattr(user, "is_authenticated", False):
        return True
    return _scope_q(user, model, VIEW) is not None


def can_see_field(user, model, field_name: str) -> bool:
    """Sensitive fields (RREP levers, escalation, classification rationale) are for MCET and RWG."""
    rule = rule_for(model)
    if field_name not in rule.sensitive_fields:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or bool(roles_of(user) & SENSITIVE_FIELD_ROLES)


def redact(user, model, row: dict, placeholder: Promise | str = "") -> dict:
    """Blank the sensitive fields of a row (export, API) that this user may not see."""
    rule = rule_for(model)
    return {k: (placeholder if k in rule.sensitive_fields and not can_see_field(user, model, k) else v)
            for k, v in row.items()}
