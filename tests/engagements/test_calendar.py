"""The engagement calendar: upcoming engagements by week and country, filters, the missed-opportunity
signal and what it may reveal, accessible markup, the security marking, French and query counts."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.users.models import UserProfile

from engagements.models import Department, Engagement
from engagements.selectors.engagements import engagement_calendar

pytestmark = pytest.mark.django_db

URL = "/admin/engagement-calendar/"


def department(code):
    return Department.objects.get(code=code)


def days(n):
    return timezone.localdate() + dt.timedelta(days=n)


def engagement(country, day, lead, *, status="planned", institution="", participants=(), kind="ottawa_bilateral"):
    record = Engagement(country=country, date=day, status=status, kind=kind, level="dg",
                        lead_department=department(lead), counterpart_institution=institution)
    record.participating_departments.set([department(code) for code in participants])
    record.save()
    return record


@pytest.fixture
def as_role(client, settings, user_with_role):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []

    def login(role, language=None):
        user = user_with_role(role)
        if language:
            profile = UserProfile.get_for_user(user)
            profile.preferred_language = language
            profile.save()
        client.force_login(user)
        return client
    return login


@pytest.fixture
def coming(world):
    xa, xb = world["countries.country"]
    return {
        "cbsa_xa": engagement(xa, days(5), "cbsa", institution="CBSA-XA-EMBASSY", participants=["ircc"]),
        "gac_xa": engagement(xa, days(9), "gac", institution="GAC-XA-SECRET-MINISTRY"),
        "gac_xa_later": engagement(xa, days(30), "gac", institution="GAC-XA-LATER"),
        "cbsa_xa_again": engagement(xa, days(12), "cbsa", institution="CBSA-XA-AGAIN"),
        "gac_xa_cancelled": engagement(xa, days(7), "gac", status="cancelled", institution="GAC-XA-CANCELLED"),
        "gac_xb_with_cbsa": engagement(xb, days(6), "gac", institution="GAC-XB-WITH-CBSA", participants=["cbsa"]),
        "cbsa_xb_held": engagement(xb, timezone.localdate(), "cbsa", status="held", institution="CBSA-XB-HELD"),
        "cbsa_today": engagement(xb, timezone.localdate(), "cbsa", institution="CBSA-XB-TODAY"),
        "cbsa_last_day": engagement(xb, days(55), "cbsa", institution="CBSA-XB-LAST-DAY"),
        "cbsa_too_far": engagement(xb, days(56), "cbsa", institution="CBSA-XB-TOO-FAR"),
        "cbsa_yesterday": engagement(xb, days(-1), "cbsa", institution="CBSA-XB-YESTERDAY"),
    }


def page_of(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return html.unescape(" ".join(response.content.decode().split()))


def entry_row(page, institution):
    start = page.rindex("<tr>", 0, page.index(institution))
    return page[start:page.index("</tr>", start)]


# --- What is listed ---------------------------------------------------------------------------------------------


def test_planned_engagements_of_the_next_eight_weeks_are_listed(as_role, coming):
    page = page_of(as_role("mcet_staff"))
    for shown in ("CBSA-XA-EMBASSY", "GAC-XA-SECRET-MINISTRY", "GAC-XA-LATER", "CBSA-XA-AGAIN", "GAC-XB-WITH-CBSA",
                  "CBSA-XB-TODAY", "CBSA-XB-LAST-DAY"):
        assert shown in page, shown
    # Cancelled, held, past, and beyond the eighth week: not listed.
    for hidden in ("GAC-XA-CANCELLED", "CBSA-XB-HELD", "CBSA-XB-YESTERDAY", "CBSA-XB-TOO-FAR"):
        assert hidden not in page, hidden
    first, last = timezone.localdate(), days(55)
    assert f"Planned engagements from {first.isoformat()} to {last.isoformat()}" in page


def test_weeks_then_countries(as_role, coming):
    page = page_of(as_role("mcet_staff"))
    weeks = re.findall(r"<h2>Week of (\d{4}-\d{2}-\d{2})</h2>", page)
    assert weeks == sorted(weeks) and len(weeks) == len(set(weeks))
    for week in weeks:
        assert dt.date.fromisoformat(week).weekday() == 0  # a Monday
    # Within each week, countries are in order, each a group of rows with its own header.
    for table in page.split("<table")[1:]:
        groups = re.findall(r'<th scope="rowgroup" colspan="7">[^<]+\((X[A-Z])\)</th>', table)
        assert groups == sorted(groups)


def test_the_span_and_the_filters(as_role, coming, world):
    client = as_role("mcet_staff")
    page = page_of(client, weeks="1")
    assert "CBSA-XB-TODAY" in page and "GAC-XA-LATER" not in page
    xb = world["countries.country"][1]
    page = page_of(client, country=xb.pk)
    assert "GAC-XB-WITH-CBSA" in page and "CBSA-XA-EMBASSY" not in page
    # A department's engagements: those it leads and those it takes part in.
    page = page_of(client, department=department("ircc").pk)
    assert "CBSA-XA-EMBASSY" in page and "CBSA-XA-AGAIN" not in page
    page = page_of(client, department=department("cbsa").pk, country=xb.pk)
    assert "GAC-XB-WITH-CBSA" in page and "CBSA-XB-TODAY" in page and "CBSA-XA-EMBASSY" not in page
    page = page_of(client, weeks="abc")
    assert "Enter a whole number." in page and "CBSA-XA-EMBASSY" in page  # the default span, with the error
    page = page_of(client, weeks="53")
    assert "Ensure this value is less than or equal to 52." in page


def test_an_officer_lists_only_what_its_department_may_see(as_role, coming):
    page = page_of(as_role("officer_cbsa"))
    assert "CBSA-XA-EMBASSY" in page and "GAC-XB-WITH-CBSA" in page  # led, and taken part in
    assert "GAC-XA-LATER" not in page


def test_nothing_planned(as_role, world):
    page = page_of(as_role("officer_cbsa"))
    assert "No planned engagement in these weeks." in page
    assert reverse("wagtailsnippets_engagements_engagement:add") in page


# --- The missed-opportunity signal ------------------------------------------------------------------------------


def test_another_department_meeting_the_country_within_14_days_is_signalled(as_role, coming):
    page = page_of(as_role("mcet_staff"))
    row = entry_row(page, "CBSA-XA-EMBASSY")
    assert "Other departments also meet XA within 14 days:" in row
    assert f"GAC meets XA on {days(9).isoformat()}" in row
    assert f"GAC meets XA on {days(30).isoformat()}" not in row  # 25 days apart
    assert days(7).isoformat() not in row  # cancelled
    assert days(12).isoformat() not in row  # the same department
    # MCET may see GAC's engagement: the signal links to it.
    assert reverse("wagtailsnippets_engagements_engagement:inspect", args=[coming["gac_xa"].pk]) in row
    # And the other way round, GAC's engagement is told of both CBSA ones.
    row = entry_row(page, "GAC-XA-SECRET-MINISTRY")
    assert f"CBSA meets XA on {days(5).isoformat()}" in row
    assert f"CBSA meets XA on {days(12).isoformat()}" in row


def test_a_held_engagement_of_another_department_counts_too(as_role, coming):
    page = page_of(as_role("mcet_staff"))
    row = entry_row(page, "GAC-XB-WITH-CBSA")  # led by GAC; CBSA met XB today (held)
    assert f"CBSA meets XB on {timezone.localdate().isoformat()}" in row


def test_the_signal_tells_an_officer_only_that_another_department_meets_the_country(as_role, coming):
    """The existence, lead department and date of an engagement the officer may not see; nothing else."""
    client = as_role("officer_cbsa")
    page = page_of(client)
    row = entry_row(page, "CBSA-XA-EMBASSY")
    assert f"GAC meets XA on {days(9).isoformat()}" in row
    assert "GAC-XA-SECRET-MINISTRY" not in page  # nor its kind, level or counterpart
    gac_engagement = coming["gac_xa"]
    assert reverse("wagtailsnippets_engagements_engagement:inspect", args=[gac_engagement.pk]) not in page
    # Filtering on its own department still shows the others meeting the same country.
    row = entry_row(page_of(client, department=department("cbsa").pk), "CBSA-XA-EMBASSY")
    assert f"GAC meets XA on {days(9).isoformat()}" in row


def test_the_selector_gives_the_same_signal(coming):
    calendar = engagement_calendar(visible=Engagement.objects.filter(lead_department__code="cbsa"))
    entries = {e.engagement.counterpart_institution: e for w in calendar.weeks for c in w.countries for e in c.entries}
    assert set(entries) == {"CBSA-XA-EMBASSY", "CBSA-XA-AGAIN", "CBSA-XB-TODAY", "CBSA-XB-LAST-DAY"}
    others = entries["CBSA-XA-EMBASSY"].others
    assert [(o.department.code, o.date, o.engagement_id) for o in others] == [("gac", days(9), None)]
    assert [(o.department.code, o.date) for o in entries["CBSA-XA-AGAIN"].others] == [("gac", days(9))]
    assert [(o.department.code, o.date) for o in entries["CBSA-XB-TODAY"].others] == [("gac", days(6))]


# --- Markup, marking, access, French, queries -------------------------------------------------------------------


def test_the_tables_are_accessible_and_the_page_carries_the_marking(as_role, coming):
    page = page_of(as_role("mcet_staff"))
    assert page.count('<table class="listing mcee-calendar">') == page.count("<caption>") > 1
    assert '<th scope="col">Lead department</th>' in page
    assert '<th scope="col">Other departments meeting the country</th>' in page
    assert re.search(r'<th scope="row"><a href="[^"]+">\d{4}-\d{2}-\d{2}</a></th>', page)
    assert '<th scope="rowgroup" colspan="7">Xandria (XA)</th>' in page
    assert "PROTECTED B" in page
    row = entry_row(page, "CBSA-XA-EMBASSY")
    assert "<td>IRCC</td>" in row  # the participating departments


def test_the_calendar_in_french(as_role, coming):
    page = page_of(as_role("officer_cbsa", language="fr"))
    assert "PROTÉGÉ B" in page and "PROTECTED B" not in page
    assert '<th scope="col">Ministère responsable</th>' in page
    assert "CBSA-XA-EMBASSY" in page


@pytest.mark.parametrize(("role", "allowed"), [("officer_cbsa", True), ("mcet_staff", True), ("auditor", True),
                                               ("partner_reporter", False)])
def test_who_may_open_the_calendar(role, allowed, as_role, world):
    client = as_role(role)
    response = client.get(URL)
    assert (response.status_code == 200) is allowed
    assert (URL in client.get("/admin/").content.decode()) is allowed


def test_queries_do_not_grow_with_the_engagements(as_role, world, django_assert_max_num_queries):
    client = as_role("officer_cbsa")
    xa, xb = world["countries.country"]

    def add(n, offset):
        for i in range(offset, offset + n):
            engagement(xa if i % 2 else xb, days(i % 50), "cbsa" if i % 3 else "gac", participants=["ircc"],
                       institution=f"Q-{i}")

    add(4, 0)
    with django_assert_max_num_queries(30) as small:
        assert client.get(URL).status_code == 200
    add(40, 4)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        page = client.get(URL).content.decode()
    assert "Q-43" in page or "Q-41" in page
    assert len(large.captured_queries) == len(small.captured_queries)
