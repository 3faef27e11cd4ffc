"""Follow-up actions in the admin: the listing and its filters (overdue at the date edges), marking an
action done, who may change which action, exports and query counts."""

import csv
import datetime as dt
import html
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engagements.models import Department, Engagement, FollowUp
from tests.spreadsheets import export_text

pytestmark = pytest.mark.django_db

URL = "wagtailsnippets_engagements_followup"


def department(code):
    return Department.objects.get(code=code)


@pytest.fixture
def as_role(client, settings, user_with_role):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []

    def login(role):
        user = user_with_role(role)
        client.force_login(user)
        return client
    return login


@pytest.fixture
def actions(world):
    """Around today: due today (not overdue), due yesterday (overdue), done late, cancelled past due."""
    inside, outside = world["engagements.engagement"]
    today = timezone.localdate()

    def add(engagement, action, owner, due, status="open", completed_on=None):
        return FollowUp.objects.create(engagement=engagement, action=action, owner_department=department(owner),
                                       due_date=due, status=status, completed_on=completed_on)

    return {
        "today": add(inside, "DUE-TODAY", "cbsa", today),
        "yesterday": add(inside, "DUE-YESTERDAY", "cbsa", today - dt.timedelta(days=1)),
        "done": add(inside, "DONE-LATE", "gac", today - dt.timedelta(days=10), "done", today - dt.timedelta(days=2)),
        "cancelled": add(outside, "CANCELLED-PAST", "gac", today - dt.timedelta(days=5), "cancelled"),
        # A GAC engagement whose action CBSA owns: CBSA sees and changes the action, not the engagement.
        "owned": add(outside, "OWNED-BY-CBSA", "cbsa", today + dt.timedelta(days=3)),
    }


def listed(client, **params):
    page = client.get(reverse(f"{URL}:list"), params).content.decode()
    names = ["DUE-TODAY", "DUE-YESTERDAY", "DONE-LATE", "CANCELLED-PAST", "OWNED-BY-CBSA", "WORLD-FOLLOW-UP-IN",
             "WORLD-FOLLOW-UP-OUT"]
    return {name for name in names if name in page}


def test_the_listing_shows_the_columns_and_overdue_in_words(as_role, actions):
    client = as_role("mcet_staff")
    page = html.unescape(" ".join(client.get(reverse(f"{URL}:list")).content.decode().split()))
    table = page[page.index('<table class="listing'):]
    headings = re.findall(r"<th[^>]*>(?: <a[^>]*>)? ([^<]+?) (?:</a> )?</th>", table[:table.index("</thead>")])
    assert headings == ["Action", "Engagement", "Country", "Owner department", "Due date", "Status"]
    row = page[page.index("DUE-YESTERDAY"):]
    row = row[:row.index("</tr>")]
    assert "Overdue" in row  # said in words, not by colour alone
    assert "w-status--primary" in row
    row = page[page.index("DUE-TODAY"):]
    row = row[:row.index("</tr>")]
    assert "Overdue" not in row and "Open" in row
    assert "Xandria (XA)" in page


def test_the_overdue_filter_uses_today_and_leaves_due_today_out(as_role, actions):
    client = as_role("mcet_staff")
    # The world's own actions fell due in 2025 and are still open: overdue too.
    assert listed(client, overdue="yes") == {"DUE-YESTERDAY", "WORLD-FOLLOW-UP-IN", "WORLD-FOLLOW-UP-OUT"}
    assert listed(client, overdue="no") == {"DUE-TODAY", "DONE-LATE", "CANCELLED-PAST", "OWNED-BY-CBSA"}


def test_filters_by_status_and_owner_department(as_role, actions):
    client = as_role("mcet_staff")
    assert listed(client, status="done") == {"DONE-LATE"}
    assert listed(client, owner_department=department("gac").pk) == {"DONE-LATE", "CANCELLED-PAST",
                                                                     "WORLD-FOLLOW-UP-OUT"}
    assert listed(client, owner_department=department("cbsa").pk, overdue="yes") == {"DUE-YESTERDAY",
                                                                                     "WORLD-FOLLOW-UP-IN"}


def test_an_officer_lists_its_departments_actions_only(as_role, actions):
    client = as_role("officer_cbsa")
    assert listed(client) == {"DUE-TODAY", "DUE-YESTERDAY", "DONE-LATE", "OWNED-BY-CBSA", "WORLD-FOLLOW-UP-IN"}
    # Filtering on another department does not widen the list.
    assert listed(client, owner_department=department("gac").pk) == {"DONE-LATE"}
    export = b"".join(client.get(reverse(f"{URL}:list"), {"export": "csv"}).streaming_content).decode()
    assert "OWNED-BY-CBSA" in export and "WORLD-FOLLOW-UP-OUT" not in export and "CANCELLED-PAST" not in export


def test_marking_an_action_done(as_role, actions):
    client = as_role("officer_cbsa")
    action = actions["yesterday"]
    url = reverse(f"{URL}:edit", args=[action.pk])
    data = {"action": action.action, "owner_department": action.owner_department_id, "owner": "",
            "due_date": action.due_date.isoformat(), "status": "done", "completed_on": ""}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "A done action needs the date it was completed." in html.unescape(response.content.decode())
    action.refresh_from_db()
    assert action.status == "open"
    data["completed_on"] = timezone.localdate().isoformat()
    response = client.post(url, data)
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.completed_on) == ("done", timezone.localdate())
    assert action.engagement == actions["today"].engagement  # the engagement is never changed here


def test_the_owner_department_changes_its_action_on_another_departments_engagement(as_role, actions):
    client = as_role("officer_cbsa")
    owned = actions["owned"]
    assert client.get(reverse(f"{URL}:edit", args=[owned.pk])).status_code == 200
    # ... but the engagement itself stays out of reach.
    assert client.get(reverse("wagtailsnippets_engagements_engagement:edit",
                              args=[owned.engagement_id])).status_code == 404


def test_an_officer_cannot_reach_another_departments_action(as_role, actions, world):
    client = as_role("officer_cbsa")
    _, outside = world["engagements.followup"]  # GAC's engagement, GAC's action
    for view in ("edit", "inspect", "delete"):
        response = client.get(reverse(f"{URL}:{view}", args=[outside.pk]))
        assert response.status_code == 404, view
        assert b"WORLD-FOLLOW-UP-OUT" not in response.content
    before = FollowUp.objects.values().get(pk=outside.pk)
    response = client.post(reverse(f"{URL}:edit", args=[outside.pk]), {
        "action": "OVERWRITTEN", "owner_department": department("cbsa").pk, "due_date": "2025-07-01",
        "status": "cancelled", "completed_on": ""})
    assert response.status_code == 404
    assert FollowUp.objects.values().get(pk=outside.pk) == before


def test_an_action_is_added_only_to_an_engagement_the_officer_may_change(as_role, actions, world):
    client = as_role("officer_cbsa")
    inside, outside = world["engagements.engagement"]
    assert client.get(reverse(f"{URL}:add")).status_code == 200
    # The engagement chooser lists only the officer's engagements...
    chooser = html.unescape(client.get("/admin/snippets/choose/engagements/engagement/").json()["html"])
    assert str(inside) in chooser and str(outside) not in chooser
    # ... and the form accepts no other, whatever is posted.
    base = {"action": "NEW-ACTION", "owner_department": department("cbsa").pk, "owner": "",
            "due_date": "2026-12-01", "status": "open", "completed_on": ""}
    response = client.post(reverse(f"{URL}:add"), {**base, "engagement": outside.pk})
    assert response.status_code == 200
    assert not FollowUp.objects.filter(action="NEW-ACTION").exists()
    response = client.post(reverse(f"{URL}:add"), {**base, "engagement": inside.pk})
    assert response.status_code == 302
    assert FollowUp.objects.get(action="NEW-ACTION").engagement == inside


def test_the_export_holds_the_engagement_and_the_dates(as_role, actions):
    client = as_role("mcet_staff")
    response = client.get(reverse(f"{URL}:list"), {"export": "csv", "status": "done"})
    rows = list(csv.reader(io.StringIO(export_text(response))))
    assert rows[0] == ["Engagement date", "Country", "Lead department", "Action", "Owner department", "Due date",
                       "Status", "Completed on"]
    done = actions["done"]
    assert rows[1] == ["2025-05-01", "XA", "cbsa", "DONE-LATE", "gac", done.due_date.isoformat(), "done",
                       done.completed_on.isoformat()]


def test_follow_ups_are_in_the_engagements_menu(as_role, world):
    client = as_role("officer_cbsa")
    page = client.get("/admin/").content.decode()
    assert reverse(f"{URL}:list") in page
    assert reverse("engagement-calendar:index") in page


def test_listing_queries_do_not_grow_with_rows(as_role, world):
    client = as_role("officer_cbsa")
    inside, _ = world["engagements.engagement"]

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(f"{URL}:list")).status_code == 200
        return len(ctx.captured_queries)

    def add(n):
        for i in range(n):
            engagement = Engagement.objects.create(country=inside.country, date=dt.date(2025, 1, 1 + i % 28),
                                                   kind="other", level="officer", lead_department=department("cbsa"))
            FollowUp.objects.create(engagement=engagement, action=f"Q-{i}", owner_department=department("gac"),
                                    due_date=dt.date(2025, 2, 1))

    add(2)
    small = count()
    add(20)
    assert count() == small
