"""The main pages, one line each: what the page benchmark times (p50/p95 server time, queries at two
scales) and what tests/benchmarks/test_page_queries.py checks (the same query count at two data sizes).

A page is a name, a function that builds its URL from the data set (``Context``: e.g. the busiest
country) and the role that opens it (a role code of ``mcee.roles``; None: not signed in). To add a
page (the country brief, its PDF, the dashboard), add one line to ``PAGES``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mcee.roles import STANDING_ROLES, sync_role_group

MCET, CBSA = "mcet_staff", "officer_cbsa"


@dataclass(frozen=True)
class Context:
    """What URLs may need from the data set."""

    country: str  # the code of the country with the most travel-document cases
    engagement_id: int  # an engagement of that country


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[Context], str]
    role: str | None
    p95_target: bool = True  # False: a download, timed and its queries counted, but not a page to browse


def _admin_list(model: str) -> Callable[[Context], str]:
    return lambda context: reverse(f"wagtailsnippets_{model.replace('.', '_')}:list")


def _report(slug: str, query: str = "") -> Callable[[Context], str]:
    return lambda context: reverse(f"mcee_report_{slug}") + query.format(context=context)


PAGES: list[Page] = [
    Page("admin home", lambda context: reverse("wagtailadmin_home"), MCET),
    Page("admin: projects", _admin_list("projects.project"), MCET),
    Page("admin: engagements", _admin_list("engagements.engagement"), MCET),
    Page("admin: engagements (CBSA officer)", _admin_list("engagements.engagement"), CBSA),
    Page("admin: engagement", lambda context: reverse("wagtailsnippets_engagements_engagement:edit",
                                                      args=[context.engagement_id]), MCET),
    Page("admin: follow-ups", _admin_list("engagements.followup"), MCET),
    Page("admin: countries", _admin_list("countries.country"), MCET),
    Page("admin: travel-document cases", _admin_list("countries.traveldocumentcase"), MCET),
    Page("admin: travel-document months", _admin_list("countries.traveldocumentmonth"), MCET),
    Page("report: funding by category", _report("funding-by-category"), MCET),
    Page("report: priority areas", _report("priority-areas"), MCET),
    Page("report: engagement leverage", _report("engagement-leverage"), MCET),
    Page("report: engagements by country", _report("engagements-by-country"), MCET),
    Page("report: TD timeliness by quarter", _report("td-timeliness", "?country={context.country}&period=quarter"),
         MCET),
    Page("report: TD completeness", _report("td-completeness"), MCET),
    Page("API: countries", lambda context: "/api/v1/countries/", CBSA),
    Page("API: projects", lambda context: "/api/v1/projects/", CBSA),
    Page("API: engagements", lambda context: "/api/v1/engagements/", CBSA),
    Page("API: travel-document months", lambda context: "/api/v1/td-monthly/", MCET),
    Page("reader: home", lambda context: "/en/", None),
    Page("reader: country brief", lambda context: f"/en/briefs/{context.country.lower()}/", "rwg_member"),
    Page("reader: country brief PDF", lambda context: f"/en/briefs/{context.country.lower()}/pdf/", "rwg_member",
         p95_target=False),
    Page("reader: country briefs index", lambda context: "/en/briefs/", "rwg_member"),
    Page("admin: performance dashboard", lambda context: reverse("mcee_dashboard"), MCET),
    Page("API: country brief", lambda context: f"/api/v1/briefs/{context.country.lower()}/", CBSA),
]


def context_from_data() -> Context:
    from countries.models import TravelDocumentCase
    from engagements.models import Engagement

    busiest = (TravelDocumentCase.objects.values("country_id", "country__code").order_by()
               .annotate(n=Count("pk")).order_by("-n", "country__code").first())
    engagement = Engagement.objects.filter(country_id=busiest["country_id"]).order_by("-date", "pk").first()
    return Context(country=busiest["country__code"], engagement_id=engagement.pk)


def bench_user(role: str | None):
    """The user who opens pages of this role (``bench-<role>``), created on first use."""
    if role is None:
        return None
    user, created = get_user_model().objects.get_or_create(username=f"bench-{role}")
    if created:
        group = Group.objects.filter(name=next(r.group_name for r in STANDING_ROLES if r.code == role)).first()
        if group is None:
            sync_role_group(next(r for r in STANDING_ROLES if r.code == role), Group, Permission)
            group = Group.objects.get(name=next(r.group_name for r in STANDING_ROLES if r.code == role))
        user.groups.add(group)
    return user


def client_for(role: str | None) -> Client:
    client = Client()
    user = bench_user(role)
    if user is not None:
        client.force_login(user)
    return client


@dataclass(frozen=True)
class PageTiming:
    name: str
    url: str
    role: str | None
    status: int
    queries: int
    p50_ms: float
    p95_ms: float
    errors: int
    requests: int


def page_queries(page: Page, context: Context, client: Client | None = None) -> tuple[int, int]:
    """(status, number of queries) of one request for the page (after one request that warms caches)."""
    client = client or client_for(page.role)
    url = page.url(context)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries.captured_queries)


def time_page(page: Page, context: Context, *, repeats: int = 20, warm_up: int = 2) -> PageTiming:
    """Server time of ``repeats`` requests (Django's test client: the whole request through every
    middleware, no network), with the query count of one of them; a status other than 200 is an error."""
    client = client_for(page.role)
    url = page.url(context)
    for _ in range(warm_up):
        client.get(url)
    status, queries = page_queries(page, context, client)
    errors = int(status != 200)
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        errors += int(response.status_code != 200)
    return PageTiming(name=page.name, url=url, role=page.role, status=status, queries=queries,
                      p50_ms=round(statistics.median(samples), 1), p95_ms=round(percentile(samples, 0.95), 1),
                      errors=errors, requests=repeats + 1)


def percentile(samples: list[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (as numpy's default and PostgreSQL's percentile_cont)."""
    ordered = sorted(samples)
    position = fraction * (len(ordered) - 1)
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)
