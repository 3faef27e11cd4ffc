"""Results and partner reports in the admin, over HTTP: a partner's reporter sees and fills its own reports
only (404 for anyone else's), MCET accepts or returns from the report's page, overdue reports are
filtered, the key message shows its evidence (approved messages only outside MCET), and listings keep
their number of queries whatever the number of rows."""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import (
    Indicator,
    IndicatorPeriod,
    KeyMessage,
    KeyMessageStatus,
    PartnerReport,
    ReportFrequency,
    ReportSchedule,
    ReportStatus,
)
from projects.reporting_services import report_schedule_save
from tests.projects.results_helpers import D, indicator, period, project_of, reporter
from tests.projects.test_proposal_workflow import user_in_role

pytestmark = pytest.mark.django_db
S = ReportStatus


def url(model, name, *args):
    return reverse(f"wagtailsnippets_projects_{model}:{name}", args=args)


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []


@pytest.fixture
def two_partners():
    """IOM's project (with an indicator and three half-year reports) and UNHCR's (one annual report)."""
    iom = project_of("IOM", start=D(2022, 4, 1), end=D(2023, 9, 30), title_en="IOM-PROJECT-TITLE")
    unhcr = project_of("UNHCR", country="XB", start=D(2022, 4, 1), end=D(2023, 3, 31), title_en="UNHCR-PROJECT-TITLE")
    cases = indicator(iom, name="IOM cases supported", baseline=0, target=100)
    indicator(unhcr, name="UNHCR registrations", unit="registrations", baseline=10, target=20)
    iom_reports = report_schedule_save(schedule=ReportSchedule(project=iom, frequency=ReportFrequency.SEMI_ANNUAL))
    unhcr_reports = report_schedule_save(schedule=ReportSchedule(project=unhcr, frequency=ReportFrequency.ANNUAL))
    return {"iom": iom, "unhcr": unhcr, "cases": cases, "iom_report": iom_reports[0],
            "unhcr_report": unhcr_reports[0], "reporter": reporter(iom.partner)}


@pytest.fixture
def reporter_client(client, two_partners):
    client.force_login(two_partners["reporter"])
    return client


@pytest.fixture
def mcet_client(client):
    client.force_login(user_in_role("mcet_staff", "mcet-admin-tests"))
    return client


def test_a_reporter_lists_only_its_own_partner_s_reports_results_and_indicators(reporter_client, two_partners):
    listing = reporter_client.get(url("partnerreport", "list")).content.decode()
    assert two_partners["iom"].reference in listing and two_partners["unhcr"].reference not in listing
    assert "UNHCR" not in listing  # not even in the filters' choices
    indicators = reporter_client.get(url("indicator", "list")).content.decode()
    assert "IOM cases supported" in indicators and "UNHCR registrations" not in indicators
    results = reporter_client.get(url("result", "list")).content.decode()
    assert "Result of IOM cases supported" in results and "UNHCR registrations" not in results
    export = b"".join(reporter_client.get(url("partnerreport", "list") + "?export=csv").streaming_content).decode()
    assert two_partners["iom"].reference in export and two_partners["unhcr"].reference not in export


def test_another_partner_s_records_look_absent_to_a_reporter(reporter_client, two_partners):
    other_report = two_partners["unhcr_report"]
    other_indicator = Indicator.objects.get(name_en="UNHCR registrations")
    for address in (url("partnerreport", "inspect", other_report.pk),
                    url("partnerreport", "edit", other_report.pk), url("indicator", "inspect", other_indicator.pk),
                    url("result", "inspect", other_indicator.result_id),
                    url("reportschedule", "inspect", other_report.project.report_schedule.pk),
                    url("project", "inspect", two_partners["unhcr"].pk)):
        assert reporter_client.get(address).status_code == 404, address
    response = reporter_client.post(url("partnerreport", "move", other_report.pk), {"to_status": "submitted"})
    assert response.status_code == 404
    assert PartnerReport.objects.get(pk=other_report.pk).status == S.DRAFT


def test_a_reporter_fills_and_submits_its_report_from_the_admin(reporter_client, two_partners):
    report, cases = two_partners["iom_report"], two_partners["cases"]
    form = reporter_client.get(url("partnerreport", "edit", report.pk)).content.decode()
    assert "IOM cases supported (cases)" in form and "Baseline 0; target 100." in form
    response = reporter_client.post(url("partnerreport", "edit", report.pk), {
        "narrative": "Two trainings held.", "risks": "None new.", "next_steps": "A third training.",
        f"indicator_{cases.pk}": "42"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.narrative, report.values.get().value) == ("Two trainings held.", Decimal("42.00"))
    page = reporter_client.get(url("partnerreport", "inspect", report.pk)).content.decode()
    assert "Submit to MCET" in page and "Accept" not in page
    response = reporter_client.post(url("partnerreport", "move", report.pk), {"to_status": "submitted"}, follow=True)
    assert "The report is submitted to MCET." in response.content.decode()
    report.refresh_from_db()
    assert report.status == S.SUBMITTED
    assert not IndicatorPeriod.objects.exists()  # actuals wait for MCET's acceptance
    # Once submitted, the form is closed to the reporter (the report is visible, so: forbidden, not absent;
    # Wagtail says so on its dashboard).
    closed = reporter_client.get(url("partnerreport", "edit", report.pk))
    assert closed.status_code == 302 and closed["Location"] == reverse("wagtailadmin_home")
    assert reporter_client.post(url("partnerreport", "move", report.pk), {"to_status": "accepted"},
                                follow=True).status_code == 200
    assert PartnerReport.objects.get(pk=report.pk).status == S.SUBMITTED


def test_an_incomplete_report_is_refused_on_its_page(reporter_client, two_partners):
    report = two_partners["iom_report"]
    response = reporter_client.post(url("partnerreport", "move", report.pk), {"to_status": "submitted"}, follow=True)
    assert "The report cannot be submitted yet; it still needs the progress in the period" in response.content.decode()
    assert PartnerReport.objects.get(pk=report.pk).status == S.DRAFT


def test_a_negative_actual_is_refused_by_the_form(reporter_client, two_partners):
    report, cases = two_partners["iom_report"], two_partners["cases"]
    response = reporter_client.post(url("partnerreport", "edit", report.pk), {
        "narrative": "Changed", "risks": "", "next_steps": "", f"indicator_{cases.pk}": "-3"})
    assert response.status_code == 200
    assert "greater than or equal to 0" in response.content.decode()
    report.refresh_from_db()
    assert report.narrative == "" and not report.values.exists()


def test_an_accepted_report_is_not_changed_from_the_form_even_by_mcet(mcet_client, two_partners):
    report = two_partners["iom_report"]
    PartnerReport.objects.filter(pk=report.pk).update(status=S.ACCEPTED, narrative="As accepted.",
                                                      submitted_at="2022-10-01T00:00:00Z")
    response = mcet_client.post(url("partnerreport", "edit", report.pk), {
        "narrative": "Rewritten", "risks": "", "next_steps": "", f"indicator_{two_partners['cases'].pk}": "1"})
    assert response.status_code == 200
    assert "it can be changed only if MCET returns it" in response.content.decode()
    assert PartnerReport.objects.get(pk=report.pk).narrative == "As accepted."
    assert "PROTECTED B" in mcet_client.get(url("partnerreport", "inspect", report.pk)).content.decode()


def test_mcet_returns_with_a_comment_then_accepts_from_the_page(mcet_client, two_partners):
    from projects.reporting_services import partner_report_save, partner_report_submit

    report, cases = two_partners["iom_report"], two_partners["cases"]
    partner_report_save(report=report, user=two_partners["reporter"], narrative="Done.", values={cases.pk: Decimal(7)})
    partner_report_submit(report=report, user=two_partners["reporter"])
    page = mcet_client.get(url("partnerreport", "inspect", report.pk)).content.decode()
    assert "Accept" in page and "Return to the partner" in page
    refused = mcet_client.post(url("partnerreport", "move", report.pk), {"to_status": "returned", "comment": ""},
                               follow=True)
    assert "a returned report needs a comment" in refused.content.decode()
    mcet_client.post(url("partnerreport", "move", report.pk), {"to_status": "returned", "comment": "Split by sex."})
    assert PartnerReport.objects.get(pk=report.pk).status == S.RETURNED
    partner_report_submit(report=report, user=two_partners["reporter"])
    done = mcet_client.post(url("partnerreport", "move", report.pk), {"to_status": "accepted"}, follow=True)
    assert "The report is accepted" in done.content.decode()
    assert IndicatorPeriod.objects.get(indicator=cases).actual_value == Decimal("7.00")
    history = mcet_client.get(url("partnerreport", "inspect", report.pk)).content.decode()
    assert "Split by sex." in history


def test_the_overdue_filter_lists_reports_late_today(mcet_client, two_partners, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D(2023, 4, 30))  # the second IOM report is due today
    page = mcet_client.get(url("partnerreport", "list") + "?overdue=yes").content.decode()
    assert page.count("2022-23 H1") == 1 and "2022-23 H2" not in page
    assert page.count(two_partners["unhcr"].reference) >= 1  # UNHCR's annual report, due 2023-04-30, is not late
    assert "2022-23</td>" not in page


def test_report_and_indicator_listings_keep_their_query_count(mcet_client, django_assert_max_num_queries):
    def count(address):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert mcet_client.get(address).status_code == 200
        return len(queries)

    def add(code):
        made = project_of("ARK", country=code, start=D(2022, 4, 1), end=D(2023, 9, 30))
        indicator(made, name=f"Indicator {code}")
        report_schedule_save(schedule=ReportSchedule(project=made, frequency=ReportFrequency.QUARTERLY))

    add("XC")
    addresses = [url("partnerreport", "list"), url("indicator", "list"), url("result", "list"),
                 url("reportschedule", "list")]
    small = [count(a) for a in addresses]
    for code in ("XD", "XE", "XF"):
        add(code)
    assert [count(a) for a in addresses] == small


def test_saving_a_schedule_in_the_admin_generates_its_reports(mcet_client):
    made = project_of("IOM", start=D(2022, 4, 1), end=D(2023, 3, 31))
    response = mcet_client.post(url("reportschedule", "add"), {"project": made.pk, "frequency": "quarterly",
                                                               "due_days": "20"}, follow=True)
    assert "The schedule expects 4 reports." in response.content.decode()
    assert list(PartnerReport.objects.filter(project=made).values_list("due_on", flat=True)) == [
        D(2022, 7, 20), D(2022, 10, 20), D(2023, 1, 20), D(2023, 4, 20)]


# --- key messages and their evidence ---------------------------------------------------------------------


@pytest.fixture
def evidence():
    """An XA project's indicator with a reported period, an approved and a draft message resting on it."""
    made = project_of("UNHCR", start=D(2022, 4, 1), end=D(2024, 3, 31), country="XA")
    registrations = indicator(made, name="Asylum registrations a month", unit="registrations", baseline=1380,
                              target=2500)
    reported = period(registrations, D(2023, 4, 1), D(2024, 3, 31), target=2500, actual=2900)
    approved = KeyMessage.objects.create(project=made, country=made.country_shares.get().country,
                                         text_en="APPROVED-MESSAGE registrations doubled", text_fr="Doublé",
                                         status=KeyMessageStatus.APPROVED, approved_at="2024-05-01T10:00:00Z")
    draft = KeyMessage.objects.create(project=made, country=approved.country, text_en="DRAFT-MESSAGE more to come",
                                      text_fr="À venir")
    for message in (approved, draft):
        message.evidence_periods.set([reported])
    return {"project": made, "indicator": registrations, "period": reported, "approved": approved, "draft": draft}


def test_the_key_message_page_shows_the_indicator_results_behind_it(mcet_client, evidence):
    page = mcet_client.get(url("keymessage", "inspect", evidence["approved"].pk)).content.decode()
    assert "Indicator results behind the message" in page
    assert "Asylum registrations a month (registrations)" in page and "2023-24" in page and "2,900" in page


@pytest.mark.parametrize("role", ["officer_cbsa", "rwg_member"])
def test_outside_mcet_the_indicator_page_cites_approved_messages_only(client, evidence, role):
    client.force_login(user_in_role(role, f"reader-{role}"))
    page = client.get(url("indicator", "inspect", evidence["indicator"].pk)).content.decode()
    assert "APPROVED-MESSAGE" in page and "DRAFT-MESSAGE" not in page
    assert client.get(url("keymessage", "inspect", evidence["draft"].pk)).status_code == 404


def test_mcet_sees_every_message_citing_the_indicator(mcet_client, evidence):
    page = mcet_client.get(url("indicator", "inspect", evidence["indicator"].pk)).content.decode()
    assert "APPROVED-MESSAGE" in page and "DRAFT-MESSAGE" in page


def test_a_reporter_sees_no_key_message_even_on_its_own_indicator(client, evidence):
    client.force_login(reporter(evidence["project"].partner))
    page = client.get(url("indicator", "inspect", evidence["indicator"].pk))
    assert page.status_code == 200
    assert "MESSAGE" not in page.content.decode()


def test_a_key_message_rests_on_its_own_project_s_reported_results(mcet_client, evidence):
    other = project_of("IOM", country="XA")
    elsewhere = period(indicator(other, name="Other indicator"), D(2022, 4, 1), D(2022, 9, 30), actual=3)
    draft = evidence["draft"]
    data = {"project": draft.project.pk, "country": draft.country.pk, "text_en": "Changed", "text_fr": "Changé",
            "evidence_periods": [elsewhere.pk], "evidence": ""}
    response = mcet_client.post(url("keymessage", "edit", draft.pk), data)
    assert response.status_code == 200
    assert "a key message rests on its own project" in response.content.decode()
    assert list(KeyMessage.objects.get(pk=draft.pk).evidence_periods.all()) == [evidence["period"]]
    assert KeyMessage.objects.get(pk=draft.pk).text_en == "DRAFT-MESSAGE more to come"


def test_the_pmf_report_is_for_those_who_see_every_indicator(client, evidence):
    address = reverse("mcee_report_pmf")
    client.force_login(user_in_role("mcet_staff", "pmf-mcet"))
    assert client.get(address).status_code == 200
    for who in (reporter(evidence["project"].partner), user_in_role("officer_gac", "pmf-gac")):
        client.force_login(who)
        response = client.get(address)
        assert response.status_code in (302, 403)


def test_the_home_page_lists_the_reporter_s_own_overdue_reports_only(reporter_client, two_partners, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D(2023, 5, 1))
    page = reporter_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Partner reports overdue or due soon" in page
    assert two_partners["iom"].reference in page and two_partners["unhcr"].reference not in page
    assert "days overdue" in page


def test_the_home_page_has_no_report_panel_for_a_role_without_reports(client, two_partners):
    client.force_login(user_in_role("officer_cbsa", "home-cbsa"))
    assert "Partner reports overdue or due soon" not in client.get(reverse("wagtailadmin_home")).content.decode()
