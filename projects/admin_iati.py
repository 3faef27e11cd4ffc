"""Reports → IATI export: the checks and, when they pass, the download of the IATI 2.03 file.

For those who maintain the portfolio and see every row of what is published (MCET administrators and
staff), decided by ``mcee.access``; anyone else gets a 403 page saying why. The page says what the setting
publishes and lists every problem that stops the file, in the reader's language."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem

from mcee import access

from .iati import iati_export
from .iati.config import BUDGETS, DESCRIPTIONS, RESULTS, TRANSACTIONS
from .models import (
    FundingLine,
    Indicator,
    IndicatorPeriod,
    Partner,
    Project,
    ProjectCountry,
    ProjectStatus,
    Result,
)

# What the file is made of: whoever downloads it must see every row of each.
PUBLISHED_MODELS = (Project, Partner, ProjectCountry, FundingLine, Result, Indicator, IndicatorPeriod)
FIELD_LABELS = {
    BUDGETS: _("budgets by fiscal year (planned funding)"),
    TRANSACTIONS: _("disbursements by fiscal year"),
    DESCRIPTIONS: _("the projects' summaries"),
    RESULTS: _("results, indicators, baselines, targets and actuals"),
}


def may_publish_iati(user) -> bool:
    """Those who may change projects and see every row of what the file publishes."""
    if not bool(access.can(user, access.CHANGE, Project)):
        return False
    return all(access.can(user, access.EXPORT, model) and not access.is_scoped(user, model)
               for model in PUBLISHED_MODELS)


def _refused(request):
    """403 with a page that says why (Wagtail would turn a PermissionDenied into a redirect home)."""
    return TemplateResponse(request, "projects/iati_refused.html", {}, status=403)


def _page(request, export, status=200):
    config = export.publication.config
    return TemplateResponse(request, "projects/iati_export.html", {
        "export": export,
        "config": config,
        "statuses": [ProjectStatus(s).label for s in config.statuses],
        "fields": [label for key, label in FIELD_LABELS.items() if config.publishes(key)],
        "withheld": [label for key, label in FIELD_LABELS.items() if not config.publishes(key)],
    }, status=status)


def iati_page(request):
    if not may_publish_iati(request.user):
        return _refused(request)
    return _page(request, iati_export(user=request.user))


def iati_download(request):
    """The file when the checks pass; otherwise the page with the problems (422), and no file."""
    if not may_publish_iati(request.user):
        return _refused(request)
    export = iati_export(user=request.user)
    if not export.ok:
        return _page(request, export, status=422)
    response = HttpResponse(export.xml, content_type="application/xml; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mcee-iati-activities-{day}.xml"'
    response["Cache-Control"] = "no-store"
    return response


class IatiMenuItem(MenuItem):
    def is_shown(self, request):
        return may_publish_iati(request.user)


def menu_item() -> IatiMenuItem:
    return IatiMenuItem(_("IATI export"), reverse("projects_iati_export"), name="mcee-iati-export",
                        icon_name="download", order=90)
