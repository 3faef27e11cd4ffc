"""Listings filtered by the access policy keep the same number of queries however many rows they show."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from countries.models import Country
from engagements.models import Department, Engagement
from projects.models import Partner, PriorityArea, Project, ProjectCountry, ProjectStatus

pytestmark = pytest.mark.django_db

URLS = ["wagtailsnippets_projects_project:list", "wagtailsnippets_engagements_engagement:list",
        "wagtailsnippets_countries_country:list", "wagtailsnippets_projects_partner:list", "audit_trail:index"]


def add_rows(n, offset):
    iom = Partner.objects.get(acronym="IOM")
    cbsa = Department.objects.get(code="cbsa")
    gac = Department.objects.get(code="gac")
    areas = list(PriorityArea.objects.all()[:2])
    codes = ["XC", "XD", "XE", "XF", "XG", "XH", "XJ", "XK", "XL", "XM"]
    for i in range(offset, offset + n):
        country, _ = Country.objects.get_or_create(code=codes[i % len(codes)])
        project = Project.objects.create(
            reference=f"MCEE-Q-{i:03d}", title_en=f"Q {i}", partner=iom, status=ProjectStatus.ACTIVE,
            approved_amount=Decimal("1000"), planned_start=dt.date(2021, 4, 1), planned_end=dt.date(2022, 3, 31))
        project.priority_areas.set(areas)
        project.save()
        ProjectCountry.objects.create(project=project, country=country, share=100)
        engagement = Engagement.objects.create(country=country, date=dt.date(2025, 1, 1 + i % 28), kind="other",
                                               level="officer", lead_department=cbsa, counterpart_institution=f"I{i}")
        engagement.participating_departments.set([gac])
        engagement.projects_leveraged.set([project])
        engagement.save()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(url))
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["mcet_staff", "officer_cbsa", "partner_reporter", "auditor"])
def test_listing_queries_do_not_grow_with_rows(role, client, settings, user_with_role, world):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    user = user_with_role(role)
    client.force_login(user)
    add_rows(3, 0)
    urls = [u for u in URLS if client.get(reverse(u)).status_code == 200]
    assert urls, "the role reads at least one listing"
    small = {url: count_queries(client, url) for url in urls}
    add_rows(25, 3)
    large = {url: count_queries(client, url) for url in urls}
    assert large == small
