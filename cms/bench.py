"""The large fictional data set of the benchmarks (`manage.py seed_bench --scale N`).

At scale 1: 3 countries, 20 projects, 1,000 engagements, 10,000 travel-document cases; at scale 100,
250 countries, 2,000 projects, 100,000 engagements and 1,000,000 cases. Every country has twenty years
of monthly travel-document figures (April 2005 to March 2025) and a classification history.

Everything is drawn from one seeded random generator (numpy), so one seed gives the same data set
every time (row contents; primary keys follow whatever the database already holds). Rows are written
in bulk, table by table: PostgreSQL's ``COPY`` there, multi-row ``INSERT`` elsewhere (SQLite in tests),
with primary keys given, so that later tables refer to earlier ones without reading them back. Being a
benchmark fixture it bypasses the services: no audit-trail entries, no ``full_clean``; the generator
respects the models' constraints instead (tests/cms/test_seed_bench.py checks a sample with ``full_clean``).
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django_countries import countries as known_countries

from countries.models import (
    Category,
    Country,
    CountryClassification,
    TimelinessTarget,
    TravelDocumentCase,
    TravelDocumentMonth,
)
from countries.models.travel_documents import case_keys
from engagements.models import (
    Department,
    Engagement,
    EngagementKind,
    EngagementLevel,
    EngagementStatus,
    FollowUp,
    FollowUpStatus,
)
from mcee.fiscal import FiscalYear
from projects.models import FundingLine, Partner, PriorityArea, Project, ProjectCountry, ProjectStatus

# Sizes at scale 1.
COUNTRIES_PER_SCALE = 2.5
PROJECTS_PER_SCALE = 20
ENGAGEMENTS_PER_SCALE = 1_000
TD_CASES_PER_SCALE = 10_000
FOLLOW_UPS_PER_ENGAGEMENT = 0.5
FIRST_MONTH, MONTHS = dt.date(2005, 4, 1), 240  # twenty fiscal years of monthly figures, 2005-06 to 2024-25
LAST_DAY = dt.date(2025, 3, 31)
PROJECT_PREFIX = "BENCH-"
PARTNER_PREFIX = "BP"
STAMP = dt.datetime(2025, 4, 1, 12, 0, tzinfo=dt.UTC)  # created_at / updated_at of every row: deterministic
CASE_OUTCOMES = np.array(["issued", "pending", "refused", "withdrawn", "expired"])
CASE_OUTCOME_SHARES = [0.6, 0.15, 0.1, 0.1, 0.05]


@dataclass(frozen=True)
class Sizes:
    countries: int
    partners: int
    projects: int
    engagements: int
    td_cases: int
    td_months: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        if scale <= 0:
            raise ValueError("The scale must be more than 0.")
        countries = max(2, math.ceil(COUNTRIES_PER_SCALE * scale))
        return cls(countries=countries, partners=max(2, math.ceil(scale / 10)),
                   projects=max(2, round(PROJECTS_PER_SCALE * scale)),
                   engagements=round(ENGAGEMENTS_PER_SCALE * scale), td_cases=round(TD_CASES_PER_SCALE * scale),
                   td_months=countries * MONTHS)


@dataclass
class Seeded:
    """Rows written, per table (model label or link table)."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, rows: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + rows


class BenchRefused(Exception):
    """The data set cannot be written here (settings without the fictional codes, data already there)."""


def bench_codes(count: int) -> list[str]:
    """The first ``count`` fictional codes these settings know (in the order of COUNTRIES_OVERRIDE:
    the demo codes XA-XM first). Refused when the settings know fewer: production knows none."""
    codes = [code for code in settings.COUNTRIES_OVERRIDE if known_countries.name(code)
             and code not in _real_codes()]
    if len(codes) < count:
        raise BenchRefused(
            f"This scale needs {count} fictional countries and these settings have {len(codes)}; "
            "large scales need the bench settings (DJANGO_SETTINGS_MODULE=mcee.settings.bench). "
            "Production settings have none.")
    return codes[:count]


def _real_codes() -> set[str]:
    from django_countries.data import COUNTRIES

    return set(COUNTRIES)


# --- Writing rows in bulk ---------------------------------------------------------------------------------


def _column_values(model: type[models.Model], frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with a column for every concrete field of the model (by attribute name): the model's
    default, NULL, the fixed timestamp or an empty string where the frame has none."""
    columns = {}
    for model_field in model._meta.concrete_fields:
        name = model_field.attname
        if name in frame:
            values = frame[name]
            if isinstance(model_field, models.DateField) and not isinstance(model_field, models.DateTimeField):
                values = _date_objects(values)
            columns[model_field.column] = values
        elif model_field.primary_key:
            continue  # the database numbers the rows (link tables)
        elif getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
            columns[model_field.column] = STAMP
        elif model_field.has_default():
            columns[model_field.column] = model_field.get_default()
        elif model_field.null:
            columns[model_field.column] = None
        elif isinstance(model_field, (models.CharField, models.TextField)):
            columns[model_field.column] = ""
        else:
            raise ValueError(f"{model.__name__}.{name} needs a value")
    return pd.DataFrame(columns, index=frame.index)


def _date_objects(values) -> pd.Series:
    """Dates as ``datetime.date`` (None where missing): written as YYYY-MM-DD by both databases."""
    values = pd.Series(values)
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.date.astype(object).where(values.notna(), None)
    return values


def write(model: type[models.Model], frame: pd.DataFrame) -> int:
    """Insert the frame's rows into the model's table; returns the number of rows."""
    if frame.empty:
        return 0
    table = _column_values(model, frame)
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in table.columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            table.to_csv(buffer, index=False, header=False, na_rep="\\N")
            with cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN "
                                    "(FORMAT csv, NULL '\\N')") as copy:
                copy.write(buffer.getvalue())
        else:
            placeholders = ", ".join(["%s"] * len(table.columns))
            sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({placeholders})"  # noqa: S608
            values = table.astype(object).where(table.notna(), None)
            cursor.executemany(sql, [tuple(_plain(v) for v in row) for row in values.itertuples(index=False)])
    return len(table)


def _plain(value):
    """Database parameters from numpy and pandas scalars."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def _next_ids(model: type[models.Model], count: int) -> np.ndarray:
    last = model.objects.aggregate(last=models.Max("pk"))["last"] or 0
    return np.arange(last + 1, last + 1 + count, dtype=np.int64)


def _reset_sequences(model_list) -> None:
    """After rows were written with their primary keys, the next ``save()`` must not reuse one."""
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _dates(start: dt.date, days: np.ndarray) -> np.ndarray:
    return np.datetime64(start, "D") + days.astype("timedelta64[D]")


# --- The data set -----------------------------------------------------------------------------------------


def bench_seed(*, scale: float, seed: int = 1) -> Seeded:
    """Write the data set of this scale and seed in one transaction; refused (nothing written) when
    the settings lack the countries it needs or when any of them is already recorded."""
    sizes = Sizes.at(scale)
    codes = bench_codes(sizes.countries)
    if Country.objects.filter(code__in=codes).exists() or Project.objects.filter(
            reference__startswith=PROJECT_PREFIX).exists():
        raise BenchRefused("Bench data (or a country it uses) is already recorded: use a fresh database, or "
                           "--replace to delete what is recorded for these countries first.")
    departments = list(Department.objects.order_by("code").values_list("pk", flat=True))
    areas = list(PriorityArea.objects.order_by("sort_order").values_list("pk", flat=True))
    if not departments or not areas:
        raise BenchRefused("The departments and priority areas are missing: migrate the database first.")
    rng = np.random.default_rng(seed)
    seeded = Seeded()
    with transaction.atomic():
        country_ids = _countries(rng, codes, seeded)
        weights = country_weights(seed=seed, count=len(codes))
        project_ids, project_country = _projects(rng, sizes, country_ids, weights, areas, seeded)
        _engagements(rng, sizes, country_ids, weights, departments, project_ids, project_country, seeded)
        _td_cases(sizes, country_ids, weights, seed, seeded)
        _td_months(rng, country_ids, seeded)
        _reset_sequences([Country, CountryClassification, Partner, Project, Engagement, FollowUp, TravelDocumentCase])
    # Each country's brief pages (in both languages), as a first classification gives them.
    from .services import brief_pages_sync

    seeded.counts["cms.countrybriefpage"] = brief_pages_sync(countries=Country.objects.filter(code__in=codes))
    return seeded


def _countries(rng, codes: list[str], seeded: Seeded) -> np.ndarray:
    ids = _next_ids(Country, len(codes))
    seeded.add("countries.country", write(Country, pd.DataFrame({"id": ids, "code": codes})))
    # One to three classifications each, years apart, the first between 2005 and 2015.
    per_country = rng.integers(1, 4, len(ids))
    country_of = np.repeat(ids, per_country)
    order = np.concatenate([np.arange(n) for n in per_country])
    first_day = np.repeat(rng.integers(0, 10 * 365, len(ids)), per_country)
    days = first_day + order * rng.integers(365, 4 * 365, len(country_of))
    categories = np.array(Category.values)[rng.choice(4, len(country_of), p=[0.3, 0.3, 0.2, 0.2])]
    seeded.add("countries.countryclassification", write(CountryClassification, pd.DataFrame({
        "id": _next_ids(CountryClassification, len(country_of)), "country_id": country_of,
        "category": categories, "effective_date": _dates(dt.date(2005, 4, 1), days),
        "rationale": "Fictional classification for the benchmarks."})))
    with_target = ids[rng.random(len(ids)) < 0.3]
    seeded.add("countries.timelinesstarget", write(TimelinessTarget, pd.DataFrame({
        "country_id": with_target, "target_days": rng.choice([60, 90, 120], len(with_target))})))
    return ids


def _projects(rng, sizes: Sizes, country_ids, weights, areas, seeded: Seeded):
    partner_ids = _next_ids(Partner, sizes.partners)
    numbers = np.arange(1, sizes.partners + 1)
    seeded.add("projects.partner", write(Partner, pd.DataFrame({
        "id": partner_ids, "acronym": [f"{PARTNER_PREFIX}{n:02d}" for n in numbers],
        "name_en": [f"Bench partner {n}" for n in numbers], "name_fr": [f"Partenaire fictif {n}" for n in numbers],
        "organisation_type": "40"})))

    count = sizes.projects
    ids = _next_ids(Project, count)
    numbers = np.arange(1, count + 1)
    start = _dates(dt.date(2005, 4, 1), rng.integers(0, 19 * 365, count))
    months = rng.integers(6, 37, count)  # up to 36 months
    end = (start.astype("datetime64[M]") + months.astype("timedelta64[M]")).astype("datetime64[D]") - 1
    end = np.maximum(end, start)
    large = rng.random(count) < 0.4
    amount = np.where(large, rng.integers(250_000, 3_000_001, count), rng.integers(20_000, 250_000, count))
    statuses = np.array(ProjectStatus.values)[
        rng.choice(len(ProjectStatus.values), count, p=[0.1, 0.35, 0.1, 0.35, 0.05, 0.05])]
    seeded.add("projects.project", write(Project, pd.DataFrame({
        "id": ids, "reference": [f"{PROJECT_PREFIX}{n:05d}" for n in numbers],
        "title_en": [f"Bench project {n}" for n in numbers], "title_fr": [f"Projet fictif {n}" for n in numbers],
        "summary_en": "A fictional project for the benchmarks.",
        "summary_fr": "Un projet fictif pour les essais de performance.",
        "partner_id": partner_ids[rng.integers(0, len(partner_ids), count)], "status": statuses,
        "approved_amount": amount.astype(np.int64), "planned_start": start, "planned_end": end})))

    # Priority areas: one or two each.
    second = rng.random(count) < 0.5
    first_area = rng.integers(0, len(areas), count)
    second_area = (first_area + rng.integers(1, len(areas), count)) % len(areas)
    area_rows = pd.DataFrame({"project_id": np.concatenate([ids, ids[second]]),
                              "priorityarea_id": np.array(areas)[np.concatenate([first_area, second_area[second]])]})
    seeded.add("projects.project_priority_areas", write(Project.priority_areas.through, area_rows))

    # Countries: one (100 %), two (60/40) or three (50/30/20), distinct.
    country_count = np.minimum(rng.choice([1, 2, 3], count, p=[0.6, 0.3, 0.1]), len(country_ids))
    shares = {1: [100], 2: [60, 40], 3: [50, 30, 20]}
    project_rows, country_rows, share_rows = [], [], []
    chosen = [rng.choice(len(country_ids), n, replace=False, p=weights) for n in country_count]
    for project_id, picks, n in zip(ids, chosen, country_count, strict=True):
        project_rows.extend([project_id] * n)
        country_rows.extend(country_ids[picks])
        share_rows.extend(shares[n])
    seeded.add("projects.projectcountry", write(ProjectCountry, pd.DataFrame({
        "project_id": project_rows, "country_id": country_rows, "share": share_rows})))

    # Funding lines: each fiscal year the plan spans, planned evenly, disbursed 0-100 % of it.
    line_rows = []
    for project_id, first, last, total in zip(ids, start.astype(object), end.astype(object), amount, strict=True):
        years = range(FiscalYear.of(first).start_year, FiscalYear.of(last).start_year + 1)
        for year in years:
            line_rows.append((project_id, year, round(total / len(years), 2)))
    lines = pd.DataFrame(line_rows, columns=["project_id", "fiscal_year", "planned"])
    lines["disbursed"] = (lines["planned"] * rng.integers(0, 101, len(lines)) / 100).round(2)
    seeded.add("projects.fundingline", write(FundingLine, lines))
    primary_country = np.array([country_ids[picks[0]] for picks in chosen])
    return ids, primary_country


def _engagements(rng, sizes: Sizes, country_ids, weights, departments, project_ids, project_country,
                 seeded: Seeded) -> None:
    count = sizes.engagements
    ids = _next_ids(Engagement, count)
    country = country_ids[rng.choice(len(country_ids), count, p=weights)]
    status = np.array([EngagementStatus.HELD, EngagementStatus.PLANNED, EngagementStatus.CANCELLED])[
        rng.choice(3, count, p=[0.75, 0.15, 0.10])]
    span = (LAST_DAY - dt.date(2005, 4, 1)).days
    days = np.where(status == EngagementStatus.PLANNED, span + rng.integers(1, 365, count),
                    rng.integers(0, span + 1, count))
    held = status == EngagementStatus.HELD
    leveraged = held & (rng.random(count) < 0.45)
    none_used = held & ~leveraged & (rng.random(count) < 0.6)
    departments = np.array(departments)
    seeded.add("engagements.engagement", write(Engagement, pd.DataFrame({
        "id": ids, "country_id": country, "date": _dates(dt.date(2005, 4, 1), days), "status": status,
        "kind": np.array(EngagementKind.values)[rng.integers(0, len(EngagementKind.values), count)],
        "level": np.array(EngagementLevel.values)[rng.integers(0, len(EngagementLevel.values), count)],
        "lead_department_id": departments[rng.integers(0, len(departments), count)],
        "counterpart_institution": np.array(["Ministry of the Interior", "Immigration Service",
                                             "Ministry of Foreign Affairs", "Border Police"])[
            rng.integers(0, 4, count)],
        "counterpart_title": "Director", "summary": "Fictional engagement for the benchmarks.",
        "removals_raised": rng.random(count) < 0.5, "no_project_leveraged": none_used,
        "outcome": np.where(held, "Agreed to follow up.", "")})))

    # Participating departments: none, one or two others.
    participants = rng.integers(0, 3, count)
    link_engagement = np.repeat(ids, participants)
    link_department = departments[rng.integers(0, len(departments), len(link_engagement))]
    links = pd.DataFrame({"engagement_id": link_engagement, "department_id": link_department}).drop_duplicates()
    seeded.add("engagements.engagement_participating_departments",
               write(Engagement.participating_departments.through, links))

    # Projects leveraged: one of the country's projects (or, where it has none, any project).
    by_country: dict[int, np.ndarray] = {}
    for country_id in np.unique(project_country):
        by_country[country_id] = project_ids[project_country == country_id]
    leveraging = np.flatnonzero(leveraged)
    picks = rng.random(len(leveraging))
    chosen = []
    for index, pick in zip(leveraging, picks, strict=True):
        pool = by_country.get(country[index], project_ids)
        chosen.append(pool[int(pick * len(pool))])
    seeded.add("engagements.engagement_projects_leveraged", write(
        Engagement.projects_leveraged.through,
        pd.DataFrame({"engagement_id": ids[leveraging], "project_id": np.array(chosen, dtype=np.int64)})))

    # Follow-ups: about one for every other engagement; done ones are completed on a date.
    with_follow_up = np.flatnonzero(rng.random(count) < FOLLOW_UPS_PER_ENGAGEMENT)
    n = len(with_follow_up)
    due = days[with_follow_up] + rng.integers(7, 90, n)
    follow_status = np.array(FollowUpStatus.values)[rng.choice(3, n, p=[0.3, 0.6, 0.1])]
    completed = _dates(dt.date(2005, 4, 1), due + rng.integers(-5, 20, n)).astype(object)
    completed[follow_status != FollowUpStatus.DONE] = None
    seeded.add("engagements.followup", write(FollowUp, pd.DataFrame({
        "id": _next_ids(FollowUp, n), "engagement_id": ids[with_follow_up], "action": "Send the follow-up note.",
        "owner_department_id": departments[rng.integers(0, len(departments), n)],
        "due_date": _dates(dt.date(2005, 4, 1), due), "status": follow_status, "completed_on": completed})))


def country_weights(*, seed: int, count: int) -> np.ndarray:
    """How busy each country is: a Zipf-like weight (some countries much busier than others), shuffled."""
    weights = 1.0 / np.arange(1, count + 1) ** 0.8
    return np.random.default_rng([seed, 1]).permutation(weights / weights.sum())


def td_case_frame(*, scale: float, seed: int = 1) -> pd.DataFrame:
    """The travel-document cases of the data set as an analyst's extract has them (country code, request
    and issue dates, outcome...): the rows ``bench_seed`` writes, for the pandas comparison."""
    sizes = Sizes.at(scale)
    codes = np.array(bench_codes(sizes.countries))
    frame = td_cases_frame(np.random.default_rng([seed, 5]), sizes, country_weights(seed=seed, count=len(codes)))
    frame.insert(0, "country", codes[frame.pop("country_index").to_numpy()])
    return frame


def _td_cases(sizes: Sizes, country_ids, weights, seed: int, seeded: Seeded) -> None:
    frame = td_cases_frame(np.random.default_rng([seed, 5]), sizes, weights)
    count = len(frame)
    ids = _next_ids(TravelDocumentCase, count)
    seeded.add("countries.traveldocumentcase", write(TravelDocumentCase, pd.DataFrame({
        "id": ids, "country_id": country_ids[frame["country_index"].to_numpy()],
        "case_key": case_keys(f"BENCH-{seed}-{n}" for n in range(1, count + 1)),
        "requested_on": frame["requested_on"], "issued_on": frame["issued_on"], "outcome": frame["outcome"],
        "document_type": frame["document_type"], "validity_days": frame["validity_days"],
        "interview_required": frame["interview_required"], "priority": frame["priority"],
        "days_to_issue": frame["days_to_issue"]})))


def td_cases_frame(rng, sizes: Sizes, weights) -> pd.DataFrame:
    """The cases as columns: ``country_index`` (into the data set's countries), dates as datetime64,
    ``days_to_issue`` (nullable integers)."""
    count = sizes.td_cases
    span = (LAST_DAY - FIRST_MONTH).days + 1
    requested = _dates(FIRST_MONTH, rng.integers(0, span, count))
    outcome = CASE_OUTCOMES[rng.choice(len(CASE_OUTCOMES), count, p=CASE_OUTCOME_SHARES)]
    # Days to issue: most within weeks, a long tail of months.
    days = np.minimum(rng.gamma(2.0, 35.0, count).astype(np.int64) + 3, 600)
    issued = outcome == "issued"
    # An issue date after the end of the data set would be in the future: such cases are still pending.
    issued_on = requested + days.astype("timedelta64[D]")
    late = issued & (issued_on > np.datetime64(LAST_DAY))
    outcome = np.where(late, "pending", outcome)
    issued = issued & ~late
    return pd.DataFrame({
        "country_index": rng.choice(len(weights), count, p=weights),
        "requested_on": requested,
        "issued_on": pd.Series(issued_on).where(issued),
        "outcome": outcome,
        "document_type": np.where(issued, np.array(["passport", "emergency passport", "laissez-passer"])[
            rng.integers(0, 3, count)], ""),
        "validity_days": pd.Series(rng.choice([30, 60, 90, 180], count), dtype="Int64").where(issued),
        "interview_required": rng.random(count) < 0.3,
        "priority": np.array(["high", "normal", "low", ""])[rng.integers(0, 4, count)],
        "days_to_issue": pd.Series(days, dtype="Int64").where(issued),
    })


def _td_months(rng, country_ids, seeded: Seeded) -> None:
    months = (np.datetime64(FIRST_MONTH, "M") + np.arange(MONTHS)).astype("datetime64[D]")
    country = np.repeat(country_ids, MONTHS)
    month = np.tile(months, len(country_ids))
    n = len(country)
    requested = rng.poisson(40, n)
    issued = rng.binomial(requested, 0.6)
    refused = rng.binomial(requested - issued, 0.2)
    inventory = pd.array(rng.poisson(30, n), dtype="Int64")
    inventory[rng.random(n) < 0.1] = pd.NA  # not always supplied
    seeded.add("countries.traveldocumentmonth", write(TravelDocumentMonth, pd.DataFrame({
        "country_id": country, "month": month, "requested": requested, "issued": issued, "refused": refused,
        "pending_end": rng.poisson(25, n), "added_to_inventory": inventory, "removals": rng.poisson(20, n)})))


# --- Removing it --------------------------------------------------------------------------------------------


def bench_delete(*, codes: list[str]) -> None:
    """Delete what is recorded for these countries and the bench projects and partners, in SQL (no
    signals, no audit entries: the data came in the same way)."""
    country_ids = list(Country.objects.filter(code__in=codes).values_list("pk", flat=True))
    projects = Project.objects.filter(reference__startswith=PROJECT_PREFIX)
    engagements = Engagement.objects.filter(country_id__in=country_ids)
    with transaction.atomic():
        from .models import CountryBriefPage

        for page in CountryBriefPage.objects.filter(country_id__in=country_ids):
            page.delete()  # a page leaves the tree through treebeard, not in raw SQL
        for through in (Engagement.participating_departments.through, Engagement.projects_leveraged.through,
                        Engagement.key_messages_used.through):
            through.objects.filter(engagement__in=engagements)._raw_delete(connection.alias)
        Engagement.projects_leveraged.through.objects.filter(project__in=projects)._raw_delete(connection.alias)
        FollowUp.objects.filter(engagement__in=engagements)._raw_delete(connection.alias)
        engagements._raw_delete(connection.alias)
        for model in (TravelDocumentCase, TravelDocumentMonth, TimelinessTarget, CountryClassification):
            model.objects.filter(country_id__in=country_ids)._raw_delete(connection.alias)
        Project.priority_areas.through.objects.filter(project__in=projects)._raw_delete(connection.alias)
        for model in (FundingLine, ProjectCountry):
            model.objects.filter(project__in=projects)._raw_delete(connection.alias)
        projects._raw_delete(connection.alias)
        Partner.objects.filter(acronym__startswith=PARTNER_PREFIX, projects=None).delete()
        Country.objects.filter(pk__in=country_ids)._raw_delete(connection.alias)
