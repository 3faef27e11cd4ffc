"""The country page lists the country's engagements the reader may see, with the projects they leveraged."""

import datetime as dt

import pytest
from django.urls import reverse

from engagements.models import Department, Engagement

pytestmark = pytest.mark.django_db

URL = "wagtailsnippets_countries_country:inspect"


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []


def engagements_panel(page: str) -> str:
    start = page.index('id="country-panel-1"')
    return page[start:page.index("</section>", start)]


def test_an_officer_sees_its_departments_engagements_and_not_another_departments(client, user_with_role, world):
    xa = world["countries.country"][0]
    inside = world["engagements.engagement"][0]  # CBSA leads it, in XA
    inside.projects_leveraged.add(world["projects.project"][0])
    inside.save()  # a cluster's links are written when it is saved
    Engagement.objects.create(country=xa, date=dt.date(2025, 7, 2), kind="multilateral", level="adm",
                              lead_department=Department.objects.get(code="gac"), summary="GAC ONLY",
                              counterpart_institution="GAC-ONLY-MINISTRY")
    client.force_login(user_with_role("officer_cbsa"))
    page = client.get(reverse(URL, args=[xa.pk])).content.decode()
    panel = engagements_panel(page)
    assert ">Engagements<" in page
    assert "2025-05-01" in panel and "MCEE-IN-001" in panel and "CBSA" in panel
    assert "2025-07-02" not in panel  # GAC's alone: not the officer's
    assert f'?country={xa.pk}"' in panel


def test_mcet_sees_every_engagement_of_the_country_in_few_queries(client, user_with_role, world,
                                                                   django_assert_max_num_queries):
    xa = world["countries.country"][0]
    gac = Department.objects.get(code="gac")
    for day in range(1, 13):
        engagement = Engagement.objects.create(country=xa, date=dt.date(2024, 3, day), kind="other", level="dg",
                                               lead_department=gac)
        engagement.projects_leveraged.add(world["projects.project"][0])
        engagement.save()
    client.force_login(user_with_role("mcet_staff"))
    with django_assert_max_num_queries(40):
        page = client.get(reverse(URL, args=[xa.pk])).content.decode()
    panel = engagements_panel(page)
    assert panel.count("<tr>") == 1 + 13  # the header, and every engagement in XA
    assert "2024-03-12" in panel and "GAC" in panel and panel.count("MCEE-IN-001") == 12


def test_a_country_without_engagements_says_so_in_french(client, user_with_role, world):
    from wagtail.users.models import UserProfile

    xb = world["countries.country"][1]
    Engagement.objects.filter(country=xb).delete()
    user = user_with_role("mcet_staff")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "fr"
    profile.save()
    client.force_login(user)
    panel = engagements_panel(client.get(reverse(URL, args=[xb.pk])).content.decode())
    assert "Aucun engagement avec ce pays que vous pouvez consulter." in panel
