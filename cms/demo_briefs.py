"""Fictional demo data for the country briefs: travel-document figures from April 2025 up to the last full
month (so a brief read today has its last eight quarters), the next RWG meeting three weeks ahead with
XA to XF on its agenda, and an English and French narrative on XA's brief."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

RECENT_START = dt.date(2025, 4, 1)  # where the six fiscal years of load_demo_td end
NARRATIVE = {
    "en": "<p>Xandria answers most requests now, but slowly: the median is still above the 60-day target. "
          "The <b>border-management project</b> (MCEE-2019-001) is the incentive most often raised with its "
          "mission.</p><ul><li>Raise the requests older than 90 days.</li><li>Offer the next study visit.</li></ul>",
    "fr": "<p>La Xandrie répond maintenant à la plupart des demandes, mais lentement : la médiane dépasse encore "
          "la cible de 60 jours. Le <b>projet de gestion des frontières</b> (MCEE-2019-001) est l’incitatif le plus "
          "souvent évoqué auprès de sa mission.</p><ul><li>Soulever les demandes de plus de 90 jours.</li>"
          "<li>Offrir la prochaine visite d’étude.</li></ul>",
}


def _months(start: dt.date, end: dt.date):
    current = start
    while current <= end:
        yield current
        current = dt.date(current.year + current.month // 12, current.month % 12 + 1, 1)


def load_demo_briefs(today: dt.date | None = None) -> dict[str, int]:
    from cms.demo import TD_PROFILES
    from cms.models import CountryBriefPage
    from cms.services import brief_pages_sync
    from countries.models import Country, TravelDocumentCase, TravelDocumentMonth
    from countries.models.travel_documents import case_key
    from engagements.models import MeetingLevel, RWGMeeting

    today = today or timezone.localdate()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    rng = random.Random(20261206)  # noqa: S311 (fictional figures, not security)
    countries = {c.code.code: c for c in Country.objects.filter(code__in=list(TD_PROFILES))}
    months, cases = [], []
    if not TravelDocumentMonth.objects.filter(month__gte=RECENT_START).exists():
        for code, (per_month, share, days_to) in TD_PROFILES.items():
            pending = per_month * 3
            for month in _months(RECENT_START, last_month):
                requested = max(0, per_month + rng.randint(-3, 3))
                issued = max(0, min(pending + requested, round(requested * min(1, share + 0.1)) + rng.randint(-1, 1)))
                refused = min(requested - min(requested, issued), rng.randint(0, 2))
                pending = max(0, pending + requested - issued - refused)
                months.append(TravelDocumentMonth(
                    country=countries[code], month=month, requested=requested, issued=issued, refused=refused,
                    pending_end=pending, removals=max(0, issued - rng.randint(0, 2)),
                    added_to_inventory=per_month + rng.randint(0, 4)))
            if code in ("XA", "XC"):
                end = last_month.replace(day=28)
                span = (end - RECENT_START).days
                for number in range(per_month * 12):
                    requested_on = RECENT_START + dt.timedelta(days=rng.randint(0, span))
                    roll = rng.random()
                    outcome = "issued" if roll < share + 0.1 else "refused" if roll < share + 0.2 else "pending"
                    # Faster than before: the briefs' timeline shows timeliness improving.
                    days = max(3, round(rng.gauss(days_to * 0.75, days_to / 4)))
                    issued_on = requested_on + dt.timedelta(days=days) if outcome == "issued" else None
                    if issued_on and issued_on > end:
                        outcome, issued_on = "pending", None
                    cases.append(TravelDocumentCase(
                        country=countries[code], case_key=case_key(f"DEMO-RECENT-{code}-{number:05d}"),
                        requested_on=requested_on, issued_on=issued_on, outcome=outcome,
                        document_type="emergency passport", interview_required=False, priority="normal",
                        days_to_issue=(issued_on - requested_on).days if issued_on else None))
        _months_agree_with_cases(months, cases)
        TravelDocumentMonth.objects.bulk_create(months)
        TravelDocumentCase.objects.bulk_create(cases)
    meeting = RWGMeeting.objects.filter(date__gt=today).order_by("date").first()
    if meeting is None:
        meeting = RWGMeeting.objects.create(date=today + dt.timedelta(days=21), level=MeetingLevel.ADM,
                                            notes="Quarterly review of the target countries.")
        meeting.agenda_countries.set(Country.objects.filter(code__in=["XA", "XB", "XC", "XD", "XE", "XF"]))
    _recent_engagements(today)
    brief_pages_sync()
    for language, text in NARRATIVE.items():
        CountryBriefPage.objects.filter(country__code="XA", locale__language_code=language, narrative="").update(
            narrative=text)
    return {"recent_td_months": len(months), "brief_pages": CountryBriefPage.objects.count()}


def _months_agree_with_cases(months, cases) -> None:
    """Where a country has case-level data, its monthly figures are the same counts (CBSA's two extracts
    agree), so the demo briefs show no data-quality warning for those months."""
    def month_of(day):
        return day.replace(day=1)

    def month_end(first):
        return dt.date(first.year + first.month // 12, first.month % 12 + 1, 1) - dt.timedelta(days=1)

    from countries.models import TravelDocumentCase

    by_country: dict[int, list] = {}
    earlier = TravelDocumentCase.objects.filter(country__in={c.country for c in cases})
    for case in [*earlier, *cases]:
        by_country.setdefault(case.country_id, []).append(case)
    for row in months:
        country_cases = by_country.get(row.country_id)
        if not country_cases:
            continue
        end = month_end(row.month)
        row.requested = sum(1 for c in country_cases if month_of(c.requested_on) == row.month)
        row.issued = sum(1 for c in country_cases if c.issued_on and month_of(c.issued_on) == row.month)
        row.refused = sum(1 for c in country_cases if c.outcome == "refused" and month_of(c.requested_on) == row.month)
        row.pending_end = sum(1 for c in country_cases if c.requested_on <= end and (
            c.outcome == "pending" or (c.outcome == "issued" and c.issued_on > end)))
        row.removals = max(0, row.issued - 1)


def _recent_engagements(today: dt.date) -> None:
    """Two engagements with XA in the last year, one that leveraged its border project, so that its brief's
    timeline has something to lay over the travel-document series."""
    from countries.models import Country
    from engagements.models import Department, Engagement
    from projects.models import Project

    xa = Country.objects.filter(code="XA").first()
    if xa is None or Engagement.objects.filter(country=xa, date__gt=today - dt.timedelta(days=365),
                                               date__lte=today).exists():
        return
    cbsa, gac = Department.objects.get(code="cbsa"), Department.objects.get(code="gac")
    leveraged = Engagement.objects.create(
        country=xa, date=today - dt.timedelta(days=240), status="held", kind="ottawa_bilateral", level="dg",
        lead_department=cbsa, removals_raised=True, counterpart_institution="Embassy of Xandria",
        summary="Pending travel-document requests reviewed one by one.",
        outcome="The embassy committed to answer within 60 days.")
    leveraged.projects_leveraged.set(Project.objects.filter(reference="MCEE-2019-001"))
    leveraged.save()
    Engagement.objects.create(
        country=xa, date=today - dt.timedelta(days=75), status="held", kind="multilateral", level="adm",
        lead_department=gac, no_project_leveraged=True, removals_raised=True,
        summary="Returns discussed in the margins of a regional forum.")
