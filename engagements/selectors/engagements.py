"""Reads of engagements and follow-ups: the leverage figures, and the engagement calendar.

Every figure is computed in SQL with a fixed number of queries, whatever the number of rows. A
fiscal year comes from ``mcee.fiscal``: each year spanned by the data is a ``CASE WHEN date BETWEEN
start AND end`` in the query, so the database groups by fiscal year without knowing its shape.

Each function takes the engagements (or follow-ups) to count as an optional queryset, so that a
caller can narrow it to what a user may see (``mcee.access.visible``); by default, all of them.

Definitions (the user guide repeats them):

- **held**: engagements with the status "held" (planned and cancelled ones are not counted in
  leverage figures);
- **leveraged**: a held engagement linked to at least one MCEE project; **none used**: one marked
  "no MCEE project was used" and linked to none; **unknown**: neither. The leverage share is
  leveraged ÷ held (four decimal places; none when nothing was held);
- **never leveraged**: an active, finalising or closed project that no held engagement links to;
- follow-ups by the fiscal year of their **due date**, cancelled ones left out: **done on time**
  (completed on or before the due date), **done late**, **open and overdue** (due before
  ``today``), **open, not yet due** (due ``today`` or later). The on-time share is done on time ÷
  (due − not yet due).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, Exists, F, IntegerField, Max, Min, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from countries.models import Country
from mcee.fiscal import FiscalQuarter, FiscalYear, fiscal_years_spanned
from projects.models import Project, ProjectStatus

from ..models import Department, Engagement, EngagementStatus, FollowUp, FollowUpStatus

SHARE_PLACES = Decimal("0.0001")
# Projects that have delivered, or are delivering, something a diplomat can point to: the ones an
# engagement may leverage, that the form asks about and that the figures count. Pipeline projects
# are not funded yet; cancelled ones delivered nothing; a suspended one is not to be put forward.
LEVERAGEABLE_STATUSES = (ProjectStatus.ACTIVE, ProjectStatus.FINALISATION, ProjectStatus.CLOSED)
CALENDAR_WEEKS = 8  # the calendar's default span
CALENDAR_MAX_WEEKS = 52
OVERLAP_DAYS = 14  # two departments meeting a country within this many days should know of each other


def share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def fiscal_year_of(field_name: str, first: dt.date, last: dt.date) -> Case:
    """The start year of the fiscal year a date falls in, as SQL, for dates from ``first`` to ``last``."""
    return Case(*[When(**{f"{field_name}__range": (year.start, year.end)}, then=Value(year.start_year))
                  for year in fiscal_years_spanned(first, last)], default=None, output_field=IntegerField())


def _in_fiscal_year(queryset: QuerySet, field_name: str, fiscal_year: FiscalYear | None) -> QuerySet:
    if fiscal_year is None:
        return queryset
    return queryset.filter(**{f"{field_name}__range": (fiscal_year.start, fiscal_year.end)})


def _span(queryset: QuerySet, field_name: str) -> tuple[dt.date, dt.date] | None:
    bounds = queryset.aggregate(first=Min(field_name), last=Max(field_name))
    if bounds["first"] is None:
        return None
    return bounds["first"], bounds["last"]


# --- Engagements per country and fiscal year, by lead department and kind ------------------------------

@dataclass(frozen=True)
class EngagementCount:
    country: str  # ISO code
    fiscal_year: FiscalYear
    lead_department: str  # department code
    kind: str
    held: int
    planned: int


def engagements_by_country_and_fiscal_year(*, engagements: QuerySet | None = None, country: Country | None = None,
                                           fiscal_year: FiscalYear | None = None) -> list[EngagementCount]:
    """Held and planned engagements (cancelled ones left out) per country, fiscal year of their date,
    lead department and kind; ordered by country, fiscal year, department, kind."""
    queryset = (engagements if engagements is not None else Engagement.objects.all()).exclude(
        status=EngagementStatus.CANCELLED)
    if country is not None:
        queryset = queryset.filter(country=country)
    queryset = _in_fiscal_year(queryset, "date", fiscal_year)
    span = _span(queryset, "date")
    if span is None:
        return []
    rows = (Engagement.objects.filter(pk__in=queryset.values("pk"))
            .annotate(fy=fiscal_year_of("date", *span))
            .values("country__code", "fy", "lead_department__code", "kind")
            .annotate(held=Count("pk", filter=Q(status=EngagementStatus.HELD)),
                      planned=Count("pk", filter=Q(status=EngagementStatus.PLANNED)))
            .order_by("country__code", "fy", "lead_department__code", "kind"))
    return [EngagementCount(country=row["country__code"], fiscal_year=FiscalYear(row["fy"]),
                            lead_department=row["lead_department__code"], kind=row["kind"], held=row["held"],
                            planned=row["planned"]) for row in rows]


# --- Leverage -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Leverage:
    held: int
    leveraged: int
    none_used: int
    unknown: int

    @property
    def share(self) -> Decimal | None:
        """Leveraged ÷ held."""
        return share(self.leveraged, self.held)


@dataclass(frozen=True)
class CountryLeverage(Leverage):
    country: str = ""
    fiscal_year: FiscalYear | None = None


def _held(engagements: QuerySet | None, *, country=None, start=None, end=None) -> QuerySet:
    queryset = (engagements if engagements is not None else Engagement.objects.all()).filter(
        status=EngagementStatus.HELD)
    if country is not None:
        queryset = queryset.filter(country=country)
    if start is not None:
        queryset = queryset.filter(date__gte=start)
    if end is not None:
        queryset = queryset.filter(date__lte=end)
    return queryset


def _with_leverage(queryset: QuerySet) -> QuerySet:
    """Held engagements (re-selected by primary key, so a filtered, distinct queryset is fine) with
    ``has_project``."""
    links = Engagement.projects_leveraged.through.objects.filter(engagement_id=OuterRef("pk"))
    return Engagement.objects.filter(pk__in=queryset.values("pk")).annotate(has_project=Exists(links))


_LEVERAGE_COUNTS = {
    "held": Count("pk"),
    "leveraged": Count("pk", filter=Q(has_project=True)),
    "none_used": Count("pk", filter=Q(has_project=False, no_project_leveraged=True)),
    "unknown": Count("pk", filter=Q(has_project=False, no_project_leveraged=False)),
}


def leverage_share(*, engagements: QuerySet | None = None, country: Country | None = None,
                   start: dt.date | None = None, end: dt.date | None = None) -> Leverage:
    """Of the engagements held from ``start`` to ``end`` (both included; open-ended when None) in
    ``country`` (every country when None): how many leveraged a project, how many used none, how
    many are unknown, and the share leveraged."""
    counts = _with_leverage(_held(engagements, country=country, start=start, end=end)).aggregate(
        **_LEVERAGE_COUNTS)
    return Leverage(**counts)


def leverage_by_country_and_fiscal_year(*, engagements: QuerySet | None = None, country: Country | None = None,
                                        fiscal_year: FiscalYear | None = None) -> list[CountryLeverage]:
    """The leverage figures of held engagements per country and fiscal year of their date."""
    held = _in_fiscal_year(_held(engagements, country=country), "date", fiscal_year)
    span = _span(held, "date")
    if span is None:
        return []
    rows = (_with_leverage(held).annotate(fy=fiscal_year_of("date", *span)).values("country__code", "fy")
            .annotate(**_LEVERAGE_COUNTS).order_by("country__code", "fy"))
    return [CountryLeverage(country=row["country__code"], fiscal_year=FiscalYear(row["fy"]), held=row["held"],
                            leveraged=row["leveraged"], none_used=row["none_used"], unknown=row["unknown"])
            for row in rows]


def projects_never_leveraged(*, projects: QuerySet | None = None, engagements: QuerySet | None = None,
                             country: Country | None = None) -> QuerySet:
    """Active, finalising and closed projects that no held engagement links to (in ``country``
    when given: projects working there, and engagements with it), by reference."""
    queryset = (projects if projects is not None else Project.objects.all()).filter(
        status__in=LEVERAGEABLE_STATUSES)
    held = _held(engagements, country=country)
    if country is not None:
        queryset = queryset.filter(country_shares__country=country)
    links = Engagement.projects_leveraged.through.objects.filter(
        project_id=OuterRef("pk"), engagement_id__in=held.values("pk"))
    return (Project.objects.filter(pk__in=queryset.values("pk")).exclude(Exists(links))
            .select_related("partner").prefetch_related("country_shares__country").order_by("reference"))


@dataclass(frozen=True)
class QuarterLeverage(Leverage):
    """The engagements of one fiscal quarter: planned ones (not yet held) and the leverage of held ones."""

    quarter: FiscalQuarter | None = None
    planned: int = 0


DASHBOARD_QUARTERS = 8


def leverage_by_quarter(*, engagements: QuerySet | None = None, quarters: int = DASHBOARD_QUARTERS,
                        today: dt.date | None = None) -> list[QuarterLeverage]:
    """The last ``quarters`` fiscal quarters, the one holding ``today`` last, each with its engagements
    (cancelled ones left out): held, planned, and of the held ones the leverage figures (same definitions
    as ``leverage_share``). Every quarter is listed, zero included. One query, whatever the data."""
    today = today or timezone.localdate()
    periods = FiscalQuarter.last(quarters, ending=FiscalQuarter.of(today))
    queryset = (engagements if engagements is not None else Engagement.objects.all()).exclude(
        status=EngagementStatus.CANCELLED).filter(date__range=(periods[0].start, periods[-1].end))
    index = Case(*[When(date__range=(q.start, q.end), then=Value(i)) for i, q in enumerate(periods)],
                 default=None, output_field=IntegerField())
    held = Q(status=EngagementStatus.HELD)
    links = Engagement.projects_leveraged.through.objects.filter(engagement_id=OuterRef("pk"))
    rows = {
        row["q"]: row for row in Engagement.objects.filter(pk__in=queryset.values("pk"))
        .annotate(has_project=Exists(links), q=index).values("q")
        .annotate(held=Count("pk", filter=held),
                  planned=Count("pk", filter=Q(status=EngagementStatus.PLANNED)),
                  leveraged=Count("pk", filter=held & Q(has_project=True)),
                  none_used=Count("pk", filter=held & Q(has_project=False, no_project_leveraged=True)),
                  unknown=Count("pk", filter=held & Q(has_project=False, no_project_leveraged=False)))
        .order_by("q")
    }
    empty = {"held": 0, "planned": 0, "leveraged": 0, "none_used": 0, "unknown": 0}
    return [QuarterLeverage(quarter=quarter, **{k: rows.get(i, empty)[k] for k in empty})
            for i, quarter in enumerate(periods)]


# --- Follow-ups -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FollowUpFigures:
    department: str  # department code
    fiscal_year: FiscalYear
    due: int
    done_on_time: int
    done_late: int
    open_overdue: int
    open_not_due: int

    @property
    def on_time_share(self) -> Decimal | None:
        """Done on time ÷ the actions whose due date has come (due − not yet due)."""
        return share(self.done_on_time, self.due - self.open_not_due)


def overdue_q(today: dt.date) -> Q:
    """Open and due before ``today`` (an action due today is not yet overdue): ``FollowUp.is_overdue`` in SQL."""
    return Q(status=FollowUpStatus.OPEN, due_date__lt=today)


def follow_ups_closed_on_time(*, follow_ups: QuerySet | None = None, today: dt.date | None = None,
                              fiscal_year: FiscalYear | None = None,
                              department: Department | None = None) -> list[FollowUpFigures]:
    """Per owner department and fiscal year of the due date (cancelled actions left out)."""
    today = today or timezone.localdate()
    queryset = (follow_ups if follow_ups is not None else FollowUp.objects.all()).exclude(
        status=FollowUpStatus.CANCELLED)
    if department is not None:
        queryset = queryset.filter(owner_department=department)
    queryset = _in_fiscal_year(queryset, "due_date", fiscal_year)
    span = _span(queryset, "due_date")
    if span is None:
        return []
    rows = (FollowUp.objects.filter(pk__in=queryset.values("pk"))
            .annotate(fy=fiscal_year_of("due_date", *span))
            .values("owner_department__code", "fy")
            .annotate(due=Count("pk"),
                      done_on_time=Count("pk", filter=Q(status=FollowUpStatus.DONE,
                                                        completed_on__lte=F("due_date"))),
                      done_late=Count("pk", filter=Q(status=FollowUpStatus.DONE, completed_on__gt=F("due_date"))),
                      open_overdue=Count("pk", filter=overdue_q(today)),
                      open_not_due=Count("pk", filter=Q(status=FollowUpStatus.OPEN, due_date__gte=today)))
            .order_by("owner_department__code", "fy"))
    return [FollowUpFigures(department=row["owner_department__code"], fiscal_year=FiscalYear(row["fy"]),
                            due=row["due"], done_on_time=row["done_on_time"], done_late=row["done_late"],
                            open_overdue=row["open_overdue"], open_not_due=row["open_not_due"]) for row in rows]


def follow_ups_overdue(*, today: dt.date | None = None, follow_ups: QuerySet | None = None) -> QuerySet:
    """Open follow-up actions due before ``today`` (narrowed to ``follow_ups`` when given, e.g. what a user
    may see), oldest due first, with their engagement, country and owner department: one query."""
    today = today or timezone.localdate()
    queryset = follow_ups if follow_ups is not None else FollowUp.objects.all()
    return (FollowUp.objects.filter(pk__in=queryset.filter(overdue_q(today)).values("pk"))
            .select_related("engagement__country", "engagement__lead_department", "owner_department")
            .order_by("due_date", "pk"))


# --- The engagement calendar ----------------------------------------------------------------------------

@dataclass(frozen=True)
class OtherMeeting:
    """Another department's engagement with the same country, near in time. Only what the reader
    may know of an engagement it may not see: that it exists, its lead department and its date.
    ``engagement`` is set only when the reader may see it (the page then links to it)."""

    department: Department
    date: dt.date
    engagement_id: int | None = None


@dataclass
class CalendarEntry:
    engagement: Engagement
    others: list[OtherMeeting] = field(default_factory=list)


@dataclass
class CalendarCountry:
    country: Country
    entries: list[CalendarEntry]


@dataclass
class CalendarWeek:
    start: dt.date  # a Monday
    countries: list[CalendarCountry]

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=6)


@dataclass
class Calendar:
    start: dt.date
    end: dt.date  # the last day shown
    weeks: list[CalendarWeek]

    @property
    def count(self) -> int:
        return sum(len(c.entries) for w in self.weeks for c in w.countries)


def engagement_calendar(*, visible: QuerySet, today: dt.date | None = None, weeks: int = CALENDAR_WEEKS,
                        department: Department | None = None, country: Country | None = None) -> Calendar:
    """Planned engagements from ``today`` for ``weeks`` weeks, among ``visible`` (what the reader may
    see), by week (Monday to Sunday), then country, then date.

    Each entry lists the engagements that other lead departments have with the same country within
    14 days of it (planned or held, whether or not the reader may see them): the missed-opportunity
    signal. It is drawn from every engagement, whatever the filters, so that a department filtering
    on itself still learns that another meets the same country. Five queries, whatever the number
    of engagements: the entries, their participating departments, the nearby engagements, which of
    those the reader may see, the departments.
    """
    today = today or timezone.localdate()
    weeks = max(1, min(int(weeks), CALENDAR_MAX_WEEKS))
    end = today + dt.timedelta(days=7 * weeks - 1)
    queryset = visible.filter(status=EngagementStatus.PLANNED, date__range=(today, end))
    if department is not None:
        queryset = queryset.filter(Q(lead_department=department) | Q(participating_departments=department))
    if country is not None:
        queryset = queryset.filter(country=country)
    engagements = list(
        Engagement.objects.filter(pk__in=queryset.values("pk"))
        .select_related("country", "lead_department").prefetch_related("participating_departments")
        .order_by("date", "country__code", "pk"))
    if not engagements:
        return Calendar(start=today, end=end, weeks=[])

    window = dt.timedelta(days=OVERLAP_DAYS)
    nearby = defaultdict(list)  # country id -> [(date, lead department id, pk)]
    for pk, country_id, day, lead_id in (
            Engagement.objects.exclude(status=EngagementStatus.CANCELLED)
            .filter(country_id__in={e.country_id for e in engagements},
                    date__range=(engagements[0].date - window, engagements[-1].date + window))
            .order_by("date", "pk").values_list("pk", "country_id", "date", "lead_department_id")):
        nearby[country_id].append((day, lead_id, pk))
    visible_ids = set(visible.filter(pk__in=[pk for rows in nearby.values() for _d, _l, pk in rows])
                      .values_list("pk", flat=True)) if nearby else set()
    departments = {d.pk: d for d in Department.objects.all()}

    by_week: dict[dt.date, dict[int, CalendarCountry]] = {}
    for engagement in engagements:
        others = [OtherMeeting(department=departments[lead_id], date=day,
                               engagement_id=pk if pk in visible_ids else None)
                  for day, lead_id, pk in nearby[engagement.country_id]
                  if lead_id != engagement.lead_department_id and abs((day - engagement.date).days) <= OVERLAP_DAYS]
        week = engagement.date - dt.timedelta(days=engagement.date.weekday())
        countries = by_week.setdefault(week, {})
        entry_country = countries.setdefault(engagement.country_id, CalendarCountry(engagement.country, []))
        entry_country.entries.append(CalendarEntry(engagement, others))
    return Calendar(start=today, end=end, weeks=[
        CalendarWeek(start=week, countries=sorted(countries.values(), key=lambda c: c.country.code.code))
        for week, countries in sorted(by_week.items())])


COUNTRY_PAGE_ENGAGEMENTS = 20


def engagements_for_country(*, visible: QuerySet, country: Country, limit: int = COUNTRY_PAGE_ENGAGEMENTS) -> QuerySet:
    """A country's engagements among ``visible`` (what the user may see), newest first, with what the
    country page shows of each read in three queries, however many there are."""
    return (visible.filter(country=country).select_related("lead_department")
            .prefetch_related("projects_leveraged").order_by("-date", "pk")[:limit])
