"""Wagtail admin views that ask ``mcee.access`` for every listing, export and object.

Wagtail's generic index views do not filter by object, and its object views load any primary key.
``ProtectedSnippetViewSet`` filters the listing (and so its CSV/XLSX export) to what the user may
see, makes that export safe (``mcee.spreadsheets``: marking row, no formula), and wraps each
object view so an object outside the user's reach answers 404, and an action the user may not take
on a visible object answers 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_list_or_404
from django.utils.functional import classproperty
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import SnippetViewSet

from . import access
from .spreadsheets import SafeSpreadsheetExportMixin


class AccessPermissionPolicy(ModelPermissionPolicy):
    """Wagtail's own per-instance checks (bulk actions, buttons) answered by ``mcee.access``."""

    def user_has_permission_for_instance(self, user, action, instance):
        return bool(access.can(user, action if action in access.ACTIONS else access.CHANGE, instance))

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_permission_for(self, user, action):
        return access.visible(user, self.model, action if action in access.ACTIONS else access.CHANGE)

    def instances_user_has_any_permission_for(self, user, actions):
        querysets = [self.instances_user_has_permission_for(user, a) for a in actions]
        combined = querysets[0]
        for queryset in querysets[1:]:
            combined = combined | queryset
        return combined.distinct()


def _checked(view_class, action):
    class Checked(view_class):
        access_action = action

        def get_object(self, *args, **kwargs):
            obj = super().get_object(*args, **kwargs)
            decision = access.can(self.request.user, self.access_action, obj)
            if not decision:
                if not decision.visible:
                    raise Http404(str(decision.reason))
                raise PermissionDenied(str(decision.reason))
            return obj

    Checked.__name__ = Checked.__qualname__ = f"Checked{view_class.__name__}"
    return Checked


def _safe_export(view_class):
    """The listing with its CSV/XLSX download made safe (``mcee.spreadsheets``)."""
    if issubclass(view_class, SafeSpreadsheetExportMixin):
        return view_class
    return type(f"Safe{view_class.__name__}", (SafeSpreadsheetExportMixin, view_class), {})


class ProtectedViewSetMixin:
    """For Wagtail model and snippet viewsets: set ``model``; override ``base_queryset`` to
    select or prefetch what the listing shows."""

    _checked_views = {
        "edit_view_class": access.CHANGE,
        "delete_view_class": access.DELETE,
        "inspect_view_class": access.VIEW,
        "history_view_class": access.VIEW,
        "usage_view_class": access.VIEW,
        "copy_view_class": access.ADD,
    }

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Every listing's download carries the marking and runs no formula.
        cls.index_view_class = _safe_export(cls.index_view_class)
        for attribute, action in cls._checked_views.items():
            view_class = getattr(cls, attribute)
            if getattr(view_class, "access_action", None) is None:
                setattr(cls, attribute, _checked(view_class, action))

    def __init__(self, *args, **kwargs):
        model = kwargs.get("model") or self.model
        register_permission_policy(model, AccessPermissionPolicy(model), exact_class=True)
        super().__init__(*args, **kwargs)

    def base_queryset(self):
        return self.model._default_manager.all()

    def get_queryset(self, request):
        return access.visible(request.user, self.base_queryset())


class _VisibleChooseMixin:
    def get_object_list(self):
        return access.visible(self.request.user, super().get_object_list())


class _VisibleChosenMixin:
    def get_object(self, pk):
        return access.visible(self.request.user, self.model_class).get(pk=pk)


class _VisibleChosenMultipleMixin:
    def get_objects(self, pks):
        return access.visible(self.request.user, self.model_class).filter(pk__in=pks)


class ProtectedSnippetChooserViewSet(SnippetChooserViewSet):
    """The pop-up chooser lists, and accepts, only what the user may see."""

    choose_view_class = type("ProtectedChooseView", (_VisibleChooseMixin, ChooseView), {})
    choose_results_view_class = type("ProtectedChooseResultsView", (_VisibleChooseMixin, ChooseResultsView), {})
    chosen_view_class = type("ProtectedChosenView", (_VisibleChosenMixin, SnippetChosenView), {})
    chosen_multiple_view_class = type("ProtectedChosenMultipleView",
                                      (_VisibleChosenMultipleMixin, SnippetChosenMultipleView), {})


class ProtectedSnippetViewSet(ProtectedViewSetMixin, SnippetViewSet):
    chooser_viewset_class = ProtectedSnippetChooserViewSet


class ProtectedModelViewSet(ProtectedViewSetMixin, ModelViewSet):
    pass


class ProtectedDeleteBulkAction(DeleteBulkAction):
    """Wagtail's bulk delete for snippets, loading only objects the user may see (others: 404), so
    its confirmation page never names a record outside the user's reach."""

    @classproperty
    def models(cls):
        from wagtail.snippets.models import get_snippet_models

        protected = set(access.protected_models())
        return [model for model in get_snippet_models() if model in protected]

    def get_queryset(self, model, object_ids):
        return get_list_or_404(access.visible(self.request.user, model), pk__in=object_ids)

    def check_perm(self, obj):
        return bool(access.can(self.request.user, access.DELETE, obj))


def sees_everything(user) -> bool:
    """True when no protected kind the user reads is narrowed for them (site-wide views are safe)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return not any(access.is_scoped(user, model) for model in access.protected_models()
                   if user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"))


class SiteWideReportsGuard:
    """Wagtail's site history report filters by kind of record only; a role that sees part of a
    kind (an officer, a partner reporter) would read the names of records outside its reach there."""

    guarded = ("/admin/reports/site-history/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(self.guarded) and not sees_everything(request.user):
            from wagtail.admin.auth import permission_denied

            return permission_denied(request)
        return self.get_response(request)
