"""Thin views of the country briefs: who may read, which date, then the selector and one of two renderers."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from countries.models import Country
from mcee.access import VIEW, can, visible

from .brief_data import country_brief
from .brief_layout import brief_sections
from .brief_pdf import PAPER_SIZES, brief_pdf, pdf_filename


def may_read_briefs(user) -> bool:
    """A brief is country data: whoever may view countries may read briefs (the brief then shows each part
    only as far as the policy lets this reader see it)."""
    return bool(can(user, VIEW, Country).allowed)


def _guard(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url="wagtailadmin_login")
    if not may_read_briefs(request.user):
        raise PermissionDenied(_("Your role does not give access to country briefs."))
    return None


def brief_date(request) -> tuple[dt.date, str]:
    """The date the brief is for (``?on=YYYY-MM-DD``, today by default) and the error about it, if any."""
    today = timezone.localdate()
    value = request.GET.get("on", "").strip()
    if not value:
        return today, ""
    try:
        return dt.date.fromisoformat(value), ""
    except ValueError:
        return today, _("“%(value)s” is not a date; write it as YYYY-MM-DD. The brief shows today’s figures.") % {
            "value": value[:40]}


def _translation_url(page) -> str:
    other = page.get_translations().live().first()
    return other.url if other else ""


def _next_meeting(user):
    from engagements.models import RWGMeeting

    return (visible(user, RWGMeeting.objects.filter(date__gte=timezone.localdate()))
            .order_by("date", "pk").first())


def brief_index(request, page):
    refused = _guard(request)
    if refused:
        return refused
    from .models import CountryBriefPage

    countries = visible(request.user, Country)
    briefs = (CountryBriefPage.objects.live().child_of(page).filter(country__in=countries)
              .select_related("country").order_by("slug"))
    meeting = _next_meeting(request.user)
    return TemplateResponse(request, "cms/country_brief_index_page.html", {
        "page": page, "self": page, "briefs": briefs, "next_meeting": meeting,
        "translation_url": _translation_url(page)})


def brief_page(request, page):
    refused = _guard(request)
    if refused:
        return refused
    on, date_error = brief_date(request)
    language = page.locale.language_code
    brief = country_brief(country=page.country, user=request.user, on=on, language=language,
                          narrative=page.narrative)
    return TemplateResponse(request, "cms/country_brief_page.html", {
        "page": page, "self": page, "brief": brief, "sections": brief_sections(brief), "date_error": date_error,
        "on_param": request.GET.get("on", "") if not date_error else "", "paper_sizes": PAPER_SIZES,
        "translation_url": _translation_url(page)})


def brief_pdf_download(request, page):
    refused = _guard(request)
    if refused:
        return refused
    on, _error = brief_date(request)
    paper = request.GET.get("paper", "letter")
    if paper not in PAPER_SIZES:
        paper = "letter"
    language = page.locale.language_code
    brief = country_brief(country=page.country, user=request.user, on=on, language=language,
                          narrative=page.narrative)
    response = HttpResponse(brief_pdf(brief, paper=paper), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(brief)}"'
    response["Cache-Control"] = "private, no-store"
    return response


def meeting_briefs_zip(request, page):
    """The briefs (PDF, this index's language) of every country on the next RWG meeting's agenda, in one ZIP."""
    refused = _guard(request)
    if refused:
        return refused
    from django.http import Http404

    from .brief_pdf import meeting_zip

    meeting = _next_meeting(request.user)
    if meeting is None:
        raise Http404(_("No Removals Working Group meeting is planned."))
    data, filename = meeting_zip(meeting=meeting, user=request.user, language=page.locale.language_code)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
