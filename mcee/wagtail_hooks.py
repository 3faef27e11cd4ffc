"""Every registered report appears under the admin's Reports menu and at its own URL."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_imports, admin_tokens, twofactor
from .admin_access import ProtectedDeleteBulkAction, sees_everything
from .admin_reports import RegisteredReportView, may_read_report
from .audit_admin import AuditTrailViewSet, ImportRunViewSet
from .reports import registered_reports


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [
        path("two-factor/verify/", twofactor.verify, name="mcee_two_factor_verify"),
        path("two-factor/setup/", twofactor.setup, name="mcee_two_factor_setup"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("mcee_two_factor_setup"),
        "label": _("Two-factor authentication"),
        "help_text": _("Protect your account with a code from an authenticator app."),
    }


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path(f"mcee-reports/{slug}/", RegisteredReportView.as_view(report_class=report_class),
             name=f"mcee_report_{slug}")
        for slug, report_class in registered_reports().items()
    ]


class ReportMenuItem(MenuItem):
    def __init__(self, report_class, order):
        self.report_class = report_class
        super().__init__(report_class.title, reverse(f"mcee_report_{report_class.slug}"),
                         name=f"mcee-report-{report_class.slug}", icon_name="table", order=order)

    def is_shown(self, request):
        return may_read_report(request.user, self.report_class)


@hooks.register("construct_reports_menu")
def add_mcee_reports(request, menu_items):
    for order, report_class in enumerate(registered_reports().values()):
        menu_items.append(ReportMenuItem(report_class, order=50 + order))


@hooks.register("register_admin_viewset")
def register_audit_trail():
    return AuditTrailViewSet()


@hooks.register("register_admin_viewset")
def register_import_runs():
    return ImportRunViewSet()


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("mcee-imports/new/", admin_imports.import_file, name="mcee_import_file"),
        path("mcee-imports/<int:pk>/", admin_imports.import_progress, name="mcee_import_progress"),
        path("mcee-imports/<int:pk>/status/", admin_imports.import_status, name="mcee_import_status"),
    ]


@hooks.register("register_settings_menu_item")
def register_import_menu_item():
    """"Import a file", next to "Import runs" (order 910) under Settings."""
    return admin_imports.menu_item()


# After Wagtail's own (order), so ours replaces its snippet bulk delete for protected models.
hooks.register("register_bulk_action", ProtectedDeleteBulkAction, order=100)


@hooks.register("construct_reports_menu", order=100)
def hide_site_history_from_scoped_roles(request, menu_items):
    if not sees_everything(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "site-history"]


@hooks.register("register_admin_urls")
def register_api_token_urls():
    return [
        path("api-tokens/", admin_tokens.index, name="mcee_api_tokens"),
        path("api-tokens/accounts/new/", admin_tokens.account_new, name="mcee_api_account_new"),
        path("api-tokens/accounts/<int:account_pk>/tokens/new/", admin_tokens.token_new, name="mcee_api_token_new"),
        path("api-tokens/<int:pk>/revoke/", admin_tokens.token_revoke, name="mcee_api_token_revoke"),
    ]


@hooks.register("register_settings_menu_item")
def register_api_token_menu_item():
    """"API tokens" under Settings, for MCET administrators."""
    return admin_tokens.menu_item()
