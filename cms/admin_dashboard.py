"""The performance dashboard in the Wagtail admin: a thin view over ``cms.dashboard``."""

from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem

from .dashboard import dashboard_figures, may_see_dashboard


def dashboard_view(request):
    """For MCET, the RWG and auditors (whoever may read the envelope's aggregated funding); others get 403."""
    if not may_see_dashboard(request.user):
        # A plain 403 page in the admin's frame (marking included), rather than Wagtail's redirect to the home
        # page that a PermissionDenied would bring.
        return TemplateResponse(request, "cms/admin_dashboard_refused.html", status=403)
    return TemplateResponse(request, "cms/admin_dashboard.html", {"figures": dashboard_figures(request.user)})


def urlpatterns():
    return [path("performance-dashboard/", dashboard_view, name="mcee_dashboard")]


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_dashboard(request.user)


def menu_item():
    return DashboardMenuItem(_("Performance dashboard"), reverse("mcee_dashboard"), name="mcee-dashboard",
                             icon_name="table", order=150)
