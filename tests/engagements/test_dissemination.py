"""Dissemination: plans, distributions recorded by MCET, acknowledgements by the receiving
department, and the reach report per department and fiscal quarter (hand-computed figures)."""

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from engagements.models import Department, DisseminationPlan, Distribution, DistributionRecipient
from engagements.selectors.dissemination import dissemination_reach
from engagements.services.dissemination import distribution_acknowledge, distribution_record
from mcee.fiscal import FiscalQuarter, FiscalYear
from projects.models import KeyMessage
from tests.spreadsheets import after_marking, export_text

pytestmark = pytest.mark.django_db

D = dt.date
TORONTO = ZoneInfo("America/Toronto")
DIST_URL = "/admin/snippets/engagements/distribution/"
PLAN_URL = "/admin/snippets/engagements/disseminationplan/"


def dept(code):
    return Department.objects.get(code=code)


def url(name, *args):
    return reverse(f"wagtailsnippets_engagements_distribution:{name}", args=args)


@pytest.fixture
def logged_in(client, user_with_role, settings):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []

    def login(role):
        user = user_with_role(role)
        client.force_login(user)
        return user

    return login


@pytest.fixture
def key_messages(world):
    approved, draft = world["projects.keymessage"]
    return {"approved": approved, "draft": draft}


# --- recording a distribution -----------------------------------------------------------------------


def new_distribution(**values):
    return Distribution(item=values.pop("item", "results_digest"), title=values.pop("title", "Q1 results digest"),
                        sent_on=values.pop("sent_on", D(2025, 5, 10)), **values)


def test_the_user_who_records_a_distribution_is_its_sender(world, user_with_role):
    mcet = user_with_role("mcet_staff")
    distribution = distribution_record(distribution=new_distribution(), user=mcet,
                                       departments=[dept("cbsa"), dept("gac")])
    distribution.refresh_from_db()
    assert distribution.sent_by == mcet
    assert sorted(r.department.code for r in distribution.recipients.all()) == ["cbsa", "gac"]
    assert all(r.acknowledged_at is None for r in distribution.recipients.all())
    # Correcting it later keeps the sender and the departments' rows.
    other = user_with_role("mcet_admin")
    row = distribution.recipients.get(department__code="cbsa")
    distribution.title = "Q1 results digest (corrected)"
    distribution_record(distribution=distribution, user=other, departments=[dept("cbsa"), dept("ps")])
    distribution.refresh_from_db()
    assert distribution.sent_by == mcet
    assert distribution.recipients.get(department__code="cbsa").pk == row.pk
    assert sorted(r.department.code for r in distribution.recipients.all()) == ["cbsa", "ps"]


@pytest.mark.parametrize(("values", "departments", "refusal"), [
    ({"sent_on": D(2999, 1, 1)}, ["cbsa"], "cannot be still to come"),
    ({}, [], "at least one department"),
    ({}, ["cbsa", "cbsa"], "listed twice"),
    ({"item": "key_messages"}, ["cbsa"], "Choose the key messages that were sent"),
])
def test_what_a_distribution_record_refuses(world, user_with_role, values, departments, refusal):
    before = Distribution.objects.count()
    with pytest.raises(ValidationError, match=refusal):
        distribution_record(distribution=new_distribution(**values), user=user_with_role("mcet_staff"),
                            departments=[dept(code) for code in departments])
    assert Distribution.objects.count() == before


def test_only_approved_key_messages_are_disseminated(world, user_with_role, key_messages):
    mcet = user_with_role("mcet_staff")
    with pytest.raises(ValidationError, match="Only approved key messages can be disseminated"):
        distribution_record(distribution=new_distribution(item="key_messages"), user=mcet,
                            departments=[dept("cbsa")], key_messages=[key_messages["draft"]])
    sent = distribution_record(distribution=new_distribution(item="key_messages"), user=mcet,
                               departments=[dept("cbsa")], key_messages=[key_messages["approved"]])
    # A message retired since stays on the record of what was sent.
    KeyMessage.objects.filter(pk=key_messages["approved"].pk).update(status="retired")
    sent.title = "Corrected title"
    distribution_record(distribution=sent, user=mcet)
    assert list(sent.key_messages.all()) == [key_messages["approved"]]


def test_a_department_that_acknowledged_cannot_be_removed(world, user_with_role):
    mcet = user_with_role("mcet_staff")
    distribution = distribution_record(distribution=new_distribution(), user=mcet, departments=[dept("cbsa")])
    DistributionRecipient.objects.filter(distribution=distribution).update(acknowledged_at=timezone.now())
    with pytest.raises(ValidationError, match="CBSA has acknowledged this distribution"):
        distribution_record(distribution=distribution, user=mcet, departments=[dept("gac")])


# --- acknowledging ----------------------------------------------------------------------------------


def test_an_officer_acknowledges_its_own_departments_row_once(world, user_with_role):
    officer = user_with_role("officer_cbsa")
    row = world["engagements.distributionrecipient"][0]  # CBSA's
    acknowledged = distribution_acknowledge(recipient=row, user=officer)
    assert acknowledged.acknowledged_by == officer and acknowledged.acknowledged_at is not None
    with pytest.raises(ValidationError, match="CBSA already acknowledged this distribution on"):
        distribution_acknowledge(recipient=row, user=officer)


def test_another_departments_row_is_out_of_reach(world, user_with_role):
    officer = user_with_role("officer_cbsa")
    gac_row = world["engagements.distributionrecipient"][1]
    with pytest.raises(PermissionDenied):
        distribution_acknowledge(recipient=gac_row, user=officer)
    assert DistributionRecipient.objects.get(pk=gac_row.pk).acknowledged_at is None


@pytest.mark.parametrize("role", ["mcet_staff", "mcet_admin"])
def test_mcet_does_not_acknowledge_for_a_department(world, user_with_role, role):
    with pytest.raises(ValidationError, match="Only an officer of CBSA can acknowledge"):
        distribution_acknowledge(recipient=world["engagements.distributionrecipient"][0], user=user_with_role(role))


@pytest.mark.parametrize("role", ["rwg_member", "auditor"])
def test_readers_do_not_acknowledge(world, user_with_role, role):
    with pytest.raises(PermissionDenied):
        distribution_acknowledge(recipient=world["engagements.distributionrecipient"][0], user=user_with_role(role))


def test_the_officer_sees_what_reached_it_and_acknowledges_receipt(client, world, logged_in):
    logged_in("officer_cbsa")
    sent_in, sent_out = world["engagements.distribution"]
    cbsa_row, gac_row = world["engagements.distributionrecipient"]
    listing = client.get(DIST_URL).content.decode()
    assert "WORLD-SENT-IN" in listing and "WORLD-SENT-OUT" not in listing
    assert "CBSA: not acknowledged yet" in listing
    assert client.get(url("inspect", sent_out.pk)).status_code == 404
    page = client.get(url("inspect", sent_in.pk)).content.decode()
    assert "Acknowledge receipt for CBSA" in page
    assert client.get(url("acknowledge", cbsa_row.pk)).status_code == 405
    response = client.post(url("acknowledge", cbsa_row.pk), follow=True)
    page = response.content.decode()
    assert "Receipt acknowledged for CBSA." in page
    assert "Acknowledge receipt for CBSA" not in page
    assert f"Acknowledged on {timezone.localdate().isoformat()} by u-officer_cbsa" in page
    response = client.post(url("acknowledge", cbsa_row.pk), follow=True)
    assert "CBSA already acknowledged this distribution" in response.content.decode()
    # Another department's row answers as absent.
    assert client.post(url("acknowledge", gac_row.pk)).status_code == 404
    assert DistributionRecipient.objects.get(pk=gac_row.pk).acknowledged_at is None
    assert "CBSA: acknowledged on" in client.get(DIST_URL).content.decode()


def test_mcet_sees_every_row_but_has_no_acknowledge_button(client, world, logged_in):
    logged_in("mcet_staff")
    sent_in = world["engagements.distribution"][0]
    cbsa_row = world["engagements.distributionrecipient"][0]
    page = client.get(url("inspect", sent_in.pk)).content.decode()
    assert "Not acknowledged yet" in page
    assert "Acknowledge receipt" not in page
    response = client.post(url("acknowledge", cbsa_row.pk), follow=True)
    assert "Only an officer of CBSA can acknowledge what reached it." in response.content.decode()
    assert DistributionRecipient.objects.get(pk=cbsa_row.pk).acknowledged_at is None


# --- the admin forms --------------------------------------------------------------------------------


def distribution_form(departments, **values):
    data = {"sent_on": "2025-05-20", "item": "key_messages", "title": "Key messages for XA", "plan": "",
            "country": "", "channel": "E-mail", "recipients-TOTAL_FORMS": str(len(departments)),
            "recipients-INITIAL_FORMS": "0", "recipients-MIN_NUM_FORMS": "1", "recipients-MAX_NUM_FORMS": "1000"}
    for i, department in enumerate(departments):
        data.update({f"recipients-{i}-department": str(department.pk), f"recipients-{i}-id": "",
                     f"recipients-{i}-DELETE": ""})
    data.update(values)
    return data


def test_mcet_records_a_distribution_in_the_admin(client, world, logged_in, key_messages):
    mcet = logged_in("mcet_staff")
    page = client.get(url("add")).content.decode()
    assert "WORLD-MESSAGE-APPROVED" in page
    assert "WORLD-MESSAGE-DRAFT" not in page  # only approved messages are offered
    response = client.post(url("add"), distribution_form([dept("cbsa"), dept("gac")],
                                                         key_messages=[str(key_messages["draft"].pk)]))
    assert response.status_code == 200
    assert not Distribution.objects.filter(title="Key messages for XA").exists()
    response = client.post(url("add"), distribution_form([dept("cbsa"), dept("gac")],
                                                         key_messages=[str(key_messages["approved"].pk)]))
    assert response.status_code == 302, response.content.decode()[-3000:]
    created = Distribution.objects.get(title="Key messages for XA")
    assert created.sent_by == mcet
    assert sorted(r.department.code for r in created.recipients.all()) == ["cbsa", "gac"]
    assert list(created.key_messages.all()) == [key_messages["approved"]]


def test_the_admin_says_what_is_wrong_with_a_distribution(client, world, logged_in, key_messages):
    logged_in("mcet_staff")
    response = client.post(url("add"), distribution_form([dept("cbsa")], sent_on="2999-01-01"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "the date cannot be still to come" in html
    assert "Choose the key messages that were sent." in html
    response = client.post(url("add"), distribution_form([dept("cbsa"), dept("cbsa")], item="results_digest"))
    assert response.status_code == 200
    assert Distribution.objects.filter(title="Key messages for XA").count() == 0


def test_the_plan_form_offers_approved_key_messages_only(client, world, logged_in, key_messages):
    logged_in("mcet_staff")
    add_url = reverse("wagtailsnippets_engagements_disseminationplan:add")
    page = client.get(add_url).content.decode()
    assert "WORLD-MESSAGE-APPROVED" in page and "WORLD-MESSAGE-DRAFT" not in page
    data = {"title_en": "Results to CBSA", "title_fr": "Résultats à l’ASFC", "context_en": "", "context_fr": "",
            "objectives_en": "Reach CBSA", "objectives_fr": "Joindre l’ASFC", "audience_groups": "Heads of mission",
            "recommendations_en": "", "recommendations_fr": "", "channels": "E-mail", "schedule": "Quarterly",
            "starts_on": "2025-04-01", "ends_on": "", "audience_departments": [str(dept("cbsa").pk)],
            "key_messages": [str(key_messages["draft"].pk)]}
    assert client.post(add_url, data).status_code == 200
    data["key_messages"] = [str(key_messages["approved"].pk)]
    assert client.post(add_url, data).status_code == 302
    plan = DisseminationPlan.objects.get(title_en="Results to CBSA")
    assert list(plan.audience_departments.all()) == [dept("cbsa")]
    page = client.get(reverse("wagtailsnippets_engagements_disseminationplan:inspect", args=[plan.pk])).content
    assert "WORLD-MESSAGE-APPROVED" in page.decode()


def test_an_officer_reads_plans_and_sees_only_its_own_rows_under_them(client, world, logged_in):
    logged_in("officer_gac")
    plan = world["engagements.disseminationplan"][0]
    page = client.get(reverse("wagtailsnippets_engagements_disseminationplan:inspect", args=[plan.pk])).content
    page = page.decode()
    assert "WORLD-SENT-OUT" in page and "GAC: not acknowledged yet" in page
    assert "WORLD-SENT-IN" not in page and "CBSA" not in page.split("Distributions under this plan")[1]


def test_the_exports_keep_empty_links_empty(client, world, logged_in):
    logged_in("mcet_staff")
    export = export_text(client.get(DIST_URL + "?export=csv"))
    assert export.splitlines()[0] == "Sent on,What was sent,Title,Country,Channel,Dissemination plan"
    assert "WORLD-SENT-IN,,,WORLD-DISSEMINATION" in export


# --- the reach report -------------------------------------------------------------------------------


def at(day, hour=12, tz=TORONTO):
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=tz)


@pytest.fixture
def reach(db):
    """Five distributions around the fiscal quarter boundaries (Q1 = April–June):

    D1 2025-03-31 (2024-25 Q4)  CBSA acknowledged 2025-04-02 (2 days)    GAC not
    D2 2025-04-01 (2025-26 Q1)  CBSA acknowledged 2025-04-02 02:00 UTC, which is 1 April in
                                Toronto (0 days)                         GAC 2025-04-11 (10 days)
    D3 2025-06-30 (2025-26 Q1)  CBSA 2025-07-05 (5 days: counted with the distribution's quarter)
    D4 2025-06-15 (2025-26 Q1)  CBSA not                                 GAC 2025-06-16 (1 day)
    D5 2025-07-01 (2025-26 Q2)                                           GAC not

    2024-25 Q4  CBSA 1 sent, 1 acknowledged, 0 not, rate 1.0000, median 2.0
                GAC  1 sent, 0 acknowledged, 1 not, rate 0.0000, no median
    2025-26 Q1  CBSA 3 sent, 2 acknowledged (0, 5), 1 not, rate 0.6667, median 2.5
                GAC  2 sent, 2 acknowledged (10, 1), 0 not, rate 1.0000, median 5.5
    2025-26 Q2  GAC  1 sent, 0 acknowledged, 1 not, rate 0.0000, no median
    """
    cbsa, gac = dept("cbsa"), dept("gac")

    def sent(day, *rows):
        distribution = Distribution.objects.create(item="results_digest", title=f"Digest {day}", sent_on=day)
        for department, acknowledged_at in rows:
            DistributionRecipient.objects.create(distribution=distribution, department=department,
                                                 acknowledged_at=acknowledged_at)

    sent(D(2025, 3, 31), (cbsa, at(D(2025, 4, 2))), (gac, None))
    sent(D(2025, 4, 1), (cbsa, dt.datetime(2025, 4, 2, 2, tzinfo=dt.UTC)), (gac, at(D(2025, 4, 11))))
    sent(D(2025, 6, 30), (cbsa, at(D(2025, 7, 5))))
    sent(D(2025, 6, 15), (cbsa, None), (gac, at(D(2025, 6, 16))))
    sent(D(2025, 7, 1), (gac, None))


def figures(rows):
    return [(str(r.department), r.quarter.label, r.sent, r.acknowledged, r.not_acknowledged, r.acknowledgement_rate,
             r.median_days) for r in rows]


def test_reach_per_department_and_fiscal_quarter(reach):
    M = Decimal
    assert figures(dissemination_reach()) == [
        ("CBSA", "2024-25 Q4", 1, 1, 0, M("1.0000"), M("2.0")),
        ("GAC", "2024-25 Q4", 1, 0, 1, M("0.0000"), None),
        ("CBSA", "2025-26 Q1", 3, 2, 1, M("0.6667"), M("2.5")),
        ("GAC", "2025-26 Q1", 2, 2, 0, M("1.0000"), M("5.5")),
        ("GAC", "2025-26 Q2", 1, 0, 1, M("0.0000"), None),
    ]
    assert figures(dissemination_reach(fiscal_year=FiscalYear(2024))) == [
        ("CBSA", "2024-25 Q4", 1, 1, 0, M("1.0000"), M("2.0")),
        ("GAC", "2024-25 Q4", 1, 0, 1, M("0.0000"), None),
    ]
    assert [r.quarter for r in dissemination_reach(department=dept("gac"))] == [
        FiscalQuarter(FiscalYear(2024), 4), FiscalQuarter(FiscalYear(2025), 1), FiscalQuarter(FiscalYear(2025), 2)]


def test_the_report_from_the_command_line(reach):
    out = io.StringIO()
    call_command("mcee_report", "dissemination-reach", "--fiscal-year", "2025-26", "--format", "csv", stdout=out)
    assert after_marking(out.getvalue()).splitlines() == [
        "department,quarter,sent,acknowledged,not_acknowledged,acknowledgement_rate,median_days",
        "CBSA,2025-26 Q1,3,2,1,0.6667,2.5",
        "GAC,2025-26 Q1,2,2,0,1.0000,5.5",
        "GAC,2025-26 Q2,1,0,1,0.0000,",
    ]
    out = io.StringIO()
    call_command("mcee_report", "dissemination-reach", "--department", "cbsa", "--lang", "fr", "--format", "csv",
                 stdout=out)
    assert after_marking(out.getvalue(), "fr").splitlines()[1:] == ["ASFC,2024-2025 T4,1,1,0,1.0000,2.0",
                                               "ASFC,2025-2026 T1,3,2,1,0.6667,2.5"]


def test_the_report_refuses_bad_options(reach):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="not a department code"):
        call_command("mcee_report", "dissemination-reach", "--department", "nope", stdout=io.StringIO())
    with pytest.raises(CommandError, match="not a fiscal year"):
        call_command("mcee_report", "dissemination-reach", "--fiscal-year", "2025", stdout=io.StringIO())


def test_the_report_in_the_admin(admin_client, reach):
    html = admin_client.get("/admin/mcee-reports/dissemination-reach/").content.decode()
    assert "Dissemination reach and acknowledgements" in html
    assert "0.6667" in html and "2025-26 Q1" in html
    export = b"".join(admin_client.get("/admin/mcee-reports/dissemination-reach/?export=csv").streaming_content)
    assert "Acknowledgement rate" in export.decode()


@pytest.mark.parametrize(("role", "allowed"), [("mcet_staff", True), ("rwg_member", True), ("auditor", True),
                                               ("officer_cbsa", False)])
def test_the_report_is_for_those_who_see_every_row(client, world, logged_in, role, allowed):
    logged_in(role)
    response = client.get("/admin/mcee-reports/dissemination-reach/")
    assert (response.status_code == 200) is allowed
