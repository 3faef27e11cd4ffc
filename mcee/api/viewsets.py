"""Viewsets that ask the one policy (``mcee.access``) for every listing, object and write.

- A listing is ``access.visible(user, base_queryset())``: one filtered query, so its query count
  does not grow with rows; an object outside it answers 404, like one that does not exist.
- A write needs the role's model permission (else 403) and, on an object, ``access.can(user,
  "change", obj)``: 404 when the object is outside the caller's reach, 403 when they may see it but
  not change it, with the policy's reason.
- Every write runs inside ``audit_source("api", actor=<the caller>)``: the audit trail names the
  system account and the API as the source, with the caller's address.
"""

from __future__ import annotations

import contextlib

from auditlog.middleware import AuditlogMiddleware
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, mixins, permissions, viewsets

from .. import access
from ..audit import API, audit_source
from .filters import ChangesFilterBackend
from .pagination import ChangesPagination
from .views import MarkedResponseMixin

_METHOD_ACTIONS = {"GET": access.LIST, "HEAD": access.LIST, "OPTIONS": access.LIST, "POST": access.ADD,
                   "PUT": access.CHANGE, "PATCH": access.CHANGE, "DELETE": access.DELETE}


class PolicyPermission(permissions.BasePermission):
    """The role may take this action on this kind of record at all (the model permission)."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        model = view.policy_model()
        decision = access.can(request.user, _METHOD_ACTIONS.get(request.method, access.VIEW), model)
        if not decision:
            self.message = str(decision.reason)
        return bool(decision)


@contextlib.contextmanager
def api_audit(request):
    """Changes made inside are recorded as coming from the API, by the caller, from its address."""
    with audit_source(API, actor=request.user, remote_addr=AuditlogMiddleware._get_remote_addr(request)):
        yield


class PolicyViewSetMixin(MarkedResponseMixin):
    """Set ``model``; override ``base_queryset`` to select or prefetch what the serializer reads."""

    model = None
    permission_classes = [PolicyPermission]
    pagination_class = ChangesPagination
    filter_backends = [ChangesFilterBackend]
    changed_field = "updated_at"
    country_field: str | None = None
    fiscal_year_field: str | None = None
    fiscal_year_kind = "date"

    def policy_model(self):
        return self.model

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # No text in the database may hold NUL (PostgreSQL refuses it): an address or filter with one
        # names nothing, and is refused as such rather than failing in the database.
        values = [request.path, *(value for _key, items in request.query_params.lists() for value in items)]
        if any("\x00" in value for value in values):
            raise exceptions.ValidationError({"detail": _("The address holds the NUL character (\\u0000).")})

    def base_queryset(self):
        return self.model._default_manager.all()

    def get_queryset(self):
        return access.visible(self.request.user, self.base_queryset())

    def get_object(self):
        obj = super().get_object()  # 404 for anything outside the visible queryset
        if self.request.method not in permissions.SAFE_METHODS:
            action = access.DELETE if self.request.method == "DELETE" else access.CHANGE
            decision = access.can(self.request.user, action, obj)
            if not decision:
                if not decision.visible:
                    raise exceptions.NotFound()
                raise exceptions.PermissionDenied(str(decision.reason))
        return obj

    def perform_create(self, serializer):
        with api_audit(self.request):
            serializer.save()

    def perform_update(self, serializer):
        with api_audit(self.request):
            serializer.save()


class ReadOnlyPolicyViewSet(PolicyViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """A listing and its objects, read-only."""


class PolicyViewSet(PolicyViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                    viewsets.ReadOnlyModelViewSet):
    """Read, create and update (no delete through the API)."""
