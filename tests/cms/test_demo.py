"""The fictional demo data is on the scale of the real portfolio and reproduces the evaluation's Table 1."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Sum

from countries.models import AsylumStatistic, Country
from countries.selectors import country_category_on
from engagements.models import EngagementPlan, EscalationStep, PlanStatus, RWGDecision
from projects.models import FundingLine, Partner, Project
from projects.selectors import projects_by_priority_area

pytestmark = pytest.mark.django_db


def seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_demo_portfolio_matches_the_real_one_in_scale():
    seed()
    assert Project.objects.count() == 13
    assert set(Partner.objects.values_list("acronym", flat=True)) == {"IOM", "UNHCR", "UNODC", "ARK"}
    codes = {c.code.code for c in Country.objects.all()}
    assert all(code.startswith("X") for code in codes)  # ISO user-assigned codes only
    assert 10 <= len(codes) <= 13
    assert FundingLine.objects.aggregate(total=Sum("planned"))["total"] == Decimal("21000000.00")
    assert set(FundingLine.objects.values_list("fiscal_year", flat=True)) == set(range(2019, 2025))
    table_1 = [(c.area.code, c.projects) for c in projects_by_priority_area()]
    assert [count for _, count in table_1] == [10, 9, 7, 7, 4, 1, 0]  # the evaluation's Table 1


def test_demo_rwg_history_and_asylum_figures():
    seed()
    xa = Country.objects.get(code="XA")
    assert list(EngagementPlan.objects.filter(country=xa).order_by("version").values_list("status", flat=True)) == [
        PlanStatus.SUPERSEDED, PlanStatus.APPROVED]
    visa = EscalationStep.objects.get(country__code="XD", level=6)
    assert visa.cabinet_approval_reference
    xe = Country.objects.get(code="XE")
    assert country_category_on(country=xe) == "recalcitrant"
    assert RWGDecision.objects.get(classification__country=xe).meeting.date.year == 2023
    assert AsylumStatistic.objects.filter(year=2024).count() >= 10


def test_seeding_twice_changes_nothing():
    seed()
    before = (Project.objects.count(), FundingLine.objects.count(), RWGDecision.objects.count(),
              EngagementPlan.objects.count(), AsylumStatistic.objects.count())
    seed()
    after = (Project.objects.count(), FundingLine.objects.count(), RWGDecision.objects.count(),
             EngagementPlan.objects.count(), AsylumStatistic.objects.count())
    assert after == before


def test_if_empty_leaves_a_database_with_projects_alone():
    seed()
    Project.objects.filter(reference="MCEE-2019-001").update(title_en="Changed by a user")
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "already holds projects" in out.getvalue()
    assert Project.objects.get(reference="MCEE-2019-001").title_en == "Changed by a user"


def test_seed_demo_refuses_settings_without_the_fictional_countries(settings):
    settings.COUNTRIES_OVERRIDE = {}
    with pytest.raises(CommandError, match="fictional countries"):
        call_command("seed_demo", stdout=io.StringIO())
    assert Project.objects.count() == 0


def test_demo_users_one_per_role_with_documented_passwords(settings):
    settings.DEBUG = True
    seed()
    out = io.StringIO()
    call_command("demo_users", stdout=out)
    users = {u.username: u for u in get_user_model().objects.filter(email__endswith="@example.invalid")}
    assert set(users) == {"mcet.admin", "mcet.staff", "cbsa.officer", "gac.officer", "rwg.member", "iom.reporter",
                          "auditor"}
    assert users["gac.officer"].groups.get().name == "GAC officers"
    assert users["iom.reporter"].groups.get().name == "IOM reporters"
    assert users["mcet.admin"].check_password("demo-mcet-admin-2026")
    assert "mcee-demo-1" in out.getvalue()  # the admin's one-time backup codes
    assert not any(u.is_superuser for u in users.values())


def test_demo_users_refuse_to_run_without_debug(settings):
    settings.DEBUG = False
    seed()
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_users", stdout=io.StringIO())
    assert not get_user_model().objects.filter(username="mcet.admin").exists()


def test_demo_travel_documents_cover_six_fiscal_years_with_visible_gaps():
    from countries.models import TravelDocumentCase, TravelDocumentMonth
    from countries.selectors import td_completeness, td_timeliness
    from mcee.fiscal import FiscalYear

    seed()
    xa = Country.objects.get(code="XA")
    years = [row.period for row in td_timeliness(country=xa, period="fiscal_year")]
    # Six fiscal years from load_demo_td, then load_demo_briefs up to the last full month.
    assert years[:6] == ["2019-20", "2020-21", "2021-22", "2022-23", "2023-24", "2024-25"]
    assert years[-1] == FiscalYear.of(dt.date.today().replace(day=1) - dt.timedelta(days=1)).label
    cases = TravelDocumentCase.objects
    assert cases.filter(country__code__in=["XA", "XC"]).count() == cases.count() > 0
    assert TravelDocumentMonth.objects.filter(country__code="XK").count() == 0  # not targeted, no data
    gaps = {row.country.code.code: row.months_without_data for row in td_completeness(fiscal_year=FiscalYear(2019))}
    assert gaps["XE"] == ["2019-09"] and gaps["XA"] == []


def test_demo_engagements_show_leverage_follow_ups_and_a_coming_overlap():
    import datetime as dt

    from django.utils import timezone

    from engagements.models import Distribution, Engagement, FollowUp, Responsibility
    from projects.models import KeyMessage

    seed()
    today = timezone.localdate()
    coming = Engagement.objects.filter(status="planned", date__gte=today).order_by("date")
    xa_soon = [e for e in coming if e.country.code.code == "XA" and e.date <= today + dt.timedelta(days=14)]
    # two departments meet XA within two weeks: the calendar flags it
    assert {e.lead_department.code for e in xa_soon} == {"cbsa", "gac"}
    held = Engagement.objects.filter(status="held")
    assert held.filter(projects_leveraged__isnull=False).distinct().exists()
    assert held.filter(no_project_leveraged=True).exists()
    # every key message an engagement used is approved, and in that engagement's country
    for engagement in held:
        for message in engagement.key_messages_used.all():
            assert message.status == "approved" and message.country_id == engagement.country_id
    assert FollowUp.objects.filter(status="open", due_date__lt=today).exists()  # one overdue
    assert set(KeyMessage.objects.values_list("status", flat=True)) == {"approved", "draft", "retired"}
    assert Responsibility.objects.filter(country__isnull=True, role="A").count() == 10  # one accountable each
    assert Responsibility.objects.filter(country__code="XA").count() == 2
    assert Distribution.objects.count() == 3


def test_seeding_twice_leaves_engagements_and_travel_documents_alone():
    from countries.models import TravelDocumentCase, TravelDocumentMonth
    from engagements.models import Engagement, FollowUp, Responsibility

    seed()
    before = (Engagement.objects.count(), FollowUp.objects.count(), Responsibility.objects.count(),
              TravelDocumentMonth.objects.count(), TravelDocumentCase.objects.count())
    seed()
    assert (Engagement.objects.count(), FollowUp.objects.count(), Responsibility.objects.count(),
            TravelDocumentMonth.objects.count(), TravelDocumentCase.objects.count()) == before


def test_demo_results_follow_the_evaluation_s_finding_2_and_roll_up_into_the_pmf():
    from projects.models import Indicator, IndicatorPeriod, KeyMessage, PartnerReport, ReportStatus
    from projects.selectors import indicator_results_for_projects, partner_reports_overdue, pmf_rollup

    seed()
    projects = list(Project.objects.all())
    results = indicator_results_for_projects(projects=projects)
    assert all(results[p.pk] for p in projects)  # every demo project has indicators
    registrations = next(r for rows in results.values() for r in rows if r.unit == "registrations a month")
    assert (registrations.baseline_value, registrations.latest_actual) == (Decimal("1380.00"), Decimal("2900.00"))
    cases = IndicatorPeriod.objects.filter(indicator__name_en="Trafficking and smuggling cases supported",
                                           indicator__result__project__reference="MCEE-2021-008")
    assert sum(p.actual_value for p in cases) > 1000
    assert Indicator.objects.filter(kind="qualitative").exists()
    codes = {row.indicator.code for row in pmf_rollup()}
    assert codes == {"PMF-1", "PMF-2", "PMF-3", "PMF-4"}
    statuses = set(PartnerReport.objects.values_list("status", flat=True))
    assert statuses == {ReportStatus.ACCEPTED, ReportStatus.SUBMITTED, ReportStatus.DRAFT}
    overdue = partner_reports_overdue(today=timezone_today())
    assert [(r.partner.acronym, r.project.reference) for r in overdue] == [("IOM", "MCEE-2021-009")]
    submitted = PartnerReport.objects.get(status=ReportStatus.SUBMITTED)
    # a submitted report's actuals are not the indicators' results until MCET accepts it
    assert not IndicatorPeriod.objects.filter(indicator__result__project=submitted.project,
                                              period_start=submitted.period_start,
                                              actual_value__isnull=False).exists()
    message = KeyMessage.objects.get(project__reference="MCEE-2019-002", status="approved")
    assert [p.actual_value for p in message.evidence_periods.order_by("period_end")] == [Decimal("2300.00"),
                                                                                         Decimal("2900.00")]
    before = (Indicator.objects.count(), IndicatorPeriod.objects.count(), PartnerReport.objects.count())
    seed()
    assert (Indicator.objects.count(), IndicatorPeriod.objects.count(), PartnerReport.objects.count()) == before


def timezone_today():
    from django.utils import timezone

    return timezone.localdate()


def test_the_demo_reporter_fills_and_submits_iom_s_due_report(settings, client):
    from django.urls import reverse

    from projects.models import IndicatorPeriod, PartnerReport, ReportStatus

    settings.DEBUG = True
    seed()
    call_command("demo_users", stdout=io.StringIO())
    user = get_user_model().objects.get(username="iom.reporter")
    assert user.check_password("demo-iom-reporter-2026")
    client.force_login(user)
    listing = client.get(reverse("wagtailsnippets_projects_partnerreport:list")).content.decode()
    assert "MCEE-2021-009" in listing and "MCEE-2022-010" not in listing  # IOM's only, not UNHCR's
    report = PartnerReport.objects.get(project__reference="MCEE-2021-009", status=ReportStatus.DRAFT)
    form = client.get(reverse("wagtailsnippets_projects_partnerreport:edit", args=[report.pk]))
    assert form.status_code == 200
    indicator = report.project.results.get().indicators.get()
    response = client.post(reverse("wagtailsnippets_projects_partnerreport:edit", args=[report.pk]), {
        "narrative": "Two trainings held.", "risks": "None new.", "next_steps": "Close the project.",
        f"indicator_{indicator.pk}": "41"})
    assert response.status_code == 302
    client.post(reverse("wagtailsnippets_projects_partnerreport:move", args=[report.pk]), {"to_status": "submitted"})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert IndicatorPeriod.objects.get(indicator=indicator, period_start=report.period_start).actual_value is None


def test_demo_briefs_are_ready_for_the_next_meeting():
    from cms.models import CountryBriefPage
    from engagements.models import RWGMeeting

    seed()
    meeting = RWGMeeting.objects.filter(date__gt=dt.date.today()).get()
    assert sorted(c.code.code for c in meeting.agenda_countries.all()) == ["XA", "XB", "XC", "XD", "XE", "XF"]
    xa = CountryBriefPage.objects.get(country__code="XA", locale__language_code="fr")
    assert "La Xandrie" in xa.narrative
    assert CountryBriefPage.objects.filter(locale__language_code="en").count() == Country.objects.count()
