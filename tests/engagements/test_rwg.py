"""RWG meetings and decisions, versioned engagement plans, and the escalation ladder."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from countries.models import Category, Country, CountryClassification
from countries.selectors import country_category_on
from engagements import services
from engagements.models import (
    DecisionKind,
    EngagementPlan,
    EscalationLevel,
    EscalationStep,
    MeetingLevel,
    PlanStatus,
    RWGDecision,
    RWGMeeting,
)
from engagements.selectors import countries_with_escalation, escalation_current, plan_current, plan_history
from tests.factories import ProjectFactory
from tests.spreadsheets import after_marking

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def xa():
    return Country.objects.get_or_create(code="XA")[0]


@pytest.fixture
def meeting():
    return RWGMeeting.objects.create(date=D(2025, 6, 10), level=MeetingLevel.ADM)


def indicator(**overrides):
    values = {"name_en": "Median days to issue a travel document", "name_fr": "Délai médian de délivrance",
              "unit": "days", "baseline_value": Decimal("180"), "baseline_date": D(2025, 3, 31),
              "target_value": Decimal("60"), "target_date": D(2027, 3, 31)}
    return {**values, **overrides}


def counts():
    return (CountryClassification.objects.count(), RWGDecision.objects.count(), EscalationStep.objects.count(),
            EngagementPlan.objects.count())


# --- classification by decision ---

def test_a_classification_decision_links_to_the_classification_it_made(meeting, xa):
    decision = services.rwg_decide_classification(
        meeting=meeting, country=xa, category=Category.RECALCITRANT, effective_date=D(2025, 7, 1),
        rationale="No travel document issued in 12 months.", summary="XA classified recalcitrant.")
    assert decision.kind == DecisionKind.CLASSIFY
    assert decision.classification.category == Category.RECALCITRANT
    assert decision.classification.rwg_decision == decision
    assert xa in meeting.agenda_countries.all()  # a country decided on is on the agenda
    assert country_category_on(country=xa, on=D(2025, 6, 30)) == Category.NOT_TARGETED
    assert country_category_on(country=xa, on=D(2025, 7, 1)) == Category.RECALCITRANT


def test_a_classification_cannot_take_effect_before_its_meeting_and_nothing_is_written(meeting, xa):
    before = counts()
    with pytest.raises(ValidationError, match="meeting's date or later"):
        services.rwg_decide_classification(meeting=meeting, country=xa, category=Category.PREVENTIVE,
                                           effective_date=D(2025, 6, 9), rationale="Too early")
    assert counts() == before


def test_a_second_classification_on_the_same_day_is_refused_and_nothing_is_written(meeting, xa):
    services.rwg_decide_classification(meeting=meeting, country=xa, category=Category.PREVENTIVE,
                                       effective_date=D(2025, 7, 1), rationale="First")
    before = counts()
    with pytest.raises(ValidationError):
        services.rwg_decide_classification(meeting=meeting, country=xa, category=Category.RECALCITRANT,
                                           effective_date=D(2025, 7, 1), rationale="Same day")
    assert counts() == before


def test_the_database_refuses_a_decision_that_does_not_link_what_its_kind_changes(meeting, xa):
    with transaction.atomic(), pytest.raises(IntegrityError):
        RWGDecision.objects.create(meeting=meeting, country=xa, kind=DecisionKind.CLASSIFY)


def test_progress_needs_a_summary(meeting, xa):
    with pytest.raises(ValidationError, match="progress"):
        services.rwg_note_progress(meeting=meeting, country=xa, summary="  ")
    decision = services.rwg_note_progress(meeting=meeting, country=xa, summary="Interviews resumed.")
    assert decision.kind == DecisionKind.PROGRESS


# --- escalation and the Cabinet rule ---

def test_visa_measures_cannot_be_recorded_without_cabinet_approval(meeting, xa):
    before = counts()
    with pytest.raises(ValidationError, match="Cabinet approval"):
        services.rwg_decide_escalation(meeting=meeting, country=xa, level=EscalationLevel.VISA_MEASURES,
                                       effective_date=D(2025, 9, 1))
    with pytest.raises(ValidationError, match="Cabinet approval"):  # a date without a reference is not enough
        services.rwg_decide_escalation(meeting=meeting, country=xa, level=EscalationLevel.VISA_MEASURES,
                                       effective_date=D(2025, 9, 1), cabinet_approval_date=D(2025, 8, 20))
    assert counts() == before


def test_the_database_itself_refuses_visa_measures_without_cabinet_approval(xa):
    with transaction.atomic(), pytest.raises(IntegrityError):
        EscalationStep.objects.create(country=xa, level=EscalationLevel.VISA_MEASURES, effective_date=D(2025, 9, 1))


def test_visa_measures_with_cabinet_approval_are_recorded(meeting, xa):
    decision = services.rwg_decide_escalation(
        meeting=meeting, country=xa, level=EscalationLevel.VISA_MEASURES, effective_date=D(2025, 9, 1),
        cabinet_approval_date=D(2025, 8, 20), cabinet_approval_reference="CAB-2025-017")
    assert decision.escalation_step.level == EscalationLevel.VISA_MEASURES


def test_cabinet_approval_must_come_before_the_step(meeting, xa):
    with pytest.raises(ValidationError, match="before the step takes effect"):
        services.rwg_decide_escalation(
            meeting=meeting, country=xa, level=EscalationLevel.VISA_MEASURES, effective_date=D(2025, 9, 1),
            cabinet_approval_date=D(2025, 9, 2), cabinet_approval_reference="CAB-2025-018")


def test_the_current_step_is_derived_from_the_history(meeting, xa):
    xb = Country.objects.get_or_create(code="XB")[0]
    services.escalation_record(country=xa, level=EscalationLevel.POSITIVE_ENGAGEMENT, effective_date=D(2024, 4, 1))
    services.escalation_record(country=xa, level=EscalationLevel.FIRMER_TONE, effective_date=D(2025, 1, 15))
    assert escalation_current(country=xa, on=D(2024, 3, 31)) is None
    assert escalation_current(country=xa, on=D(2025, 1, 14)).level == EscalationLevel.POSITIVE_ENGAGEMENT
    assert escalation_current(country=xa, on=D(2025, 1, 15)).level == EscalationLevel.FIRMER_TONE
    levels = dict(countries_with_escalation(on=D(2025, 2, 1)).values_list("code", "escalation_level"))
    assert levels == {"XA": EscalationLevel.FIRMER_TONE, "XB": None}
    assert xb.pk


# --- versioned plans ---

def test_plan_versions_approval_and_supersession(meeting, xa):
    project = ProjectFactory()
    v1 = services.plan_create(country=xa, plan_type="rrep", objectives_en="Timely travel documents.",
                              negative_levers="Limit study-visit invitations.", incentive_projects=[project],
                              indicators=[indicator()])
    assert (v1.version, v1.status) == (1, PlanStatus.DRAFT)
    first = services.rwg_approve_plan(meeting=meeting, plan=v1, summary="RREP approved.")
    assert first.kind == DecisionKind.APPROVE_PLAN and first.plan == v1
    assert plan_current(country=xa) == v1

    v2 = services.plan_revise(plan=v1)
    assert (v2.version, v2.status) == (2, PlanStatus.DRAFT)
    assert list(v2.incentive_projects.all()) == [project]
    assert v2.indicators.get().target_value == Decimal("60")
    assert plan_current(country=xa) == v1  # a draft changes nothing until approved

    later = RWGMeeting.objects.create(date=D(2025, 12, 2), level=MeetingLevel.ADM)
    second = services.rwg_approve_plan(meeting=later, plan=v2)
    v1.refresh_from_db()
    assert second.kind == DecisionKind.REVISE_PLAN
    assert v1.status == PlanStatus.SUPERSEDED
    assert plan_current(country=xa) == v2
    assert [p.version for p in plan_history(country=xa)] == [2, 1]


def test_only_a_draft_with_indicators_can_be_approved(meeting, xa):
    bare = services.plan_create(country=xa, plan_type="preventive", objectives_en="Keep cooperation.")
    with pytest.raises(ValidationError, match="at least one indicator"):
        services.rwg_approve_plan(meeting=meeting, plan=bare)
    assert EngagementPlan.objects.get(pk=bare.pk).status == PlanStatus.DRAFT
    bare.delete()
    plan = services.plan_create(country=xa, plan_type="preventive", objectives_en="Keep cooperation.",
                                indicators=[indicator()])
    services.rwg_approve_plan(meeting=meeting, plan=plan)
    with pytest.raises(ValidationError, match="Only a draft plan"):
        services.rwg_approve_plan(meeting=meeting, plan=plan)


def test_a_preventive_country_gets_a_plan_with_objectives_and_indicators(meeting, xa):
    plan = services.plan_create(country=xa, plan_type="preventive", objectives_en="Keep issuance under 30 days.",
                                objectives_fr="Maintenir la délivrance sous 30 jours.", indicators=[indicator()])
    services.rwg_approve_plan(meeting=meeting, plan=plan)
    assert plan_current(country=xa).indicators.count() == 1


def test_one_draft_at_a_time_and_one_approved_plan_per_country(meeting, xa):
    v1 = services.plan_create(country=xa, plan_type="rrep", objectives_en="O", indicators=[indicator()])
    with pytest.raises(ValidationError, match="already has a draft"):
        services.plan_revise(plan=v1)
    services.rwg_approve_plan(meeting=meeting, plan=v1)
    v2 = services.plan_revise(plan=v1)
    with transaction.atomic(), pytest.raises(IntegrityError):
        EngagementPlan.objects.filter(pk=v2.pk).update(status=PlanStatus.APPROVED)


def test_an_indicator_target_before_its_baseline_is_refused(xa):
    with pytest.raises(ValidationError, match="target date is before the baseline"):
        services.plan_create(country=xa, plan_type="rrep", objectives_en="O",
                             indicators=[indicator(target_date=D(2024, 1, 1))])
    assert EngagementPlan.objects.count() == 0


# --- through the admin ---

@pytest.fixture
def staff_client(client, user_with_role, settings):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    client.force_login(user_with_role("mcet_staff"))
    return client


def decision_post(meeting, country, **fields):
    data = {"meeting": meeting.pk, "country": country.pk, "kind": "", "summary": "", "category": "",
            "effective_date": "", "rationale": "", "plan_to_approve": "", "level": "",
            "cabinet_approval_date": "", "cabinet_approval_reference": ""}
    data.update(fields)
    return data


def test_recording_a_classification_in_the_admin(staff_client, world):
    meeting = RWGMeeting.objects.create(date=D(2025, 6, 10), level=MeetingLevel.DG)
    xb = world["countries.country"][1]
    url = reverse("wagtailsnippets_engagements_rwgdecision:add")
    response = staff_client.post(url, decision_post(meeting, xb, kind="classify", category="preventive",
                                                    effective_date="2025-06-10", rationale="Claims doubled."))
    assert response.status_code == 302, response.content.decode()[:3000]
    decision = RWGDecision.objects.get(kind="classify")
    assert decision.classification.category == "preventive"


def test_visa_measures_without_cabinet_approval_are_refused_in_the_admin(staff_client, world):
    meeting = RWGMeeting.objects.create(date=D(2025, 6, 10), level=MeetingLevel.ADM)
    xb = world["countries.country"][1]
    before = counts()
    response = staff_client.post(reverse("wagtailsnippets_engagements_rwgdecision:add"),
                                 decision_post(meeting, xb, kind="escalate", level="6", effective_date="2025-07-01"))
    assert response.status_code == 200
    assert "Visa measures can be recorded only with the Cabinet approval" in response.content.decode()
    assert counts() == before


def test_an_approved_plan_cannot_be_edited_in_the_admin(staff_client, xa, meeting):
    plan = services.plan_create(country=xa, plan_type="rrep", objectives_en="Original", indicators=[indicator()])
    services.rwg_approve_plan(meeting=meeting, plan=plan)
    url = reverse("wagtailsnippets_engagements_engagementplan:edit", args=[plan.pk])
    form = staff_client.get(url).context["form"]
    data = {"country": xa.pk, "plan_type": "rrep", "objectives_en": "Changed", "objectives_fr": "",
            "negative_levers": "", "review_date": "", "incentive_projects": []}
    ind = form.formsets["indicators"]
    data.update({f"indicators-{k}": v for k, v in
                 {"TOTAL_FORMS": 1, "INITIAL_FORMS": 1, "MIN_NUM_FORMS": 1, "MAX_NUM_FORMS": 1000}.items()})
    row = ind.forms[0]
    for name in row.fields:
        value = row[name].value()
        data[f"indicators-0-{name}"] = "" if value is None else value
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "cannot be changed" in response.content.decode()
    assert EngagementPlan.objects.get(pk=plan.pk).objectives_en == "Original"


def test_new_version_button_starts_a_draft(staff_client, xa, meeting):
    plan = services.plan_create(country=xa, plan_type="rrep", objectives_en="O", indicators=[indicator()])
    services.rwg_approve_plan(meeting=meeting, plan=plan)
    response = staff_client.post(reverse("wagtailsnippets_engagements_engagementplan:new_version", args=[plan.pk]))
    draft = EngagementPlan.objects.get(country=xa, version=2)
    assert response["Location"] == reverse("wagtailsnippets_engagements_engagementplan:edit", args=[draft.pk])


@pytest.mark.parametrize(("role", "sees"), [("rwg_member", True), ("mcet_staff", True), ("auditor", False)])
def test_negative_levers_are_for_mcet_and_rwg_only(role, sees, client, settings, user_with_role, xa, meeting):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    plan = services.plan_create(country=xa, plan_type="rrep", objectives_en="Objectives text",
                                negative_levers="LEVER-SECRET", indicators=[indicator()])
    client.force_login(user_with_role(role))
    page = client.get(reverse("wagtailsnippets_engagements_engagementplan:inspect", args=[plan.pk]))
    assert page.status_code == 200
    assert "Objectives text" in page.content.decode()
    assert ("LEVER-SECRET" in page.content.decode()) is sees
    export = b"".join(client.get(reverse("wagtailsnippets_engagements_engagementplan:list") + "?export=csv")
                      .streaming_content).decode()
    assert "LEVER-SECRET" not in export  # exports never carry levers


@pytest.mark.parametrize("role", ["auditor", "officer_cbsa", "partner_reporter"])
def test_escalation_is_hidden_from_everyone_but_mcet_and_rwg(role, client, settings, user_with_role, xa, meeting):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    services.rwg_decide_escalation(meeting=meeting, country=xa, level=EscalationLevel.FIRMER_TONE,
                                   effective_date=D(2025, 7, 1), rationale="ESCALATION-SECRET")
    client.force_login(user_with_role(role))
    response = client.get(reverse("wagtailsnippets_engagements_escalationstep:list"))
    assert response.status_code == 302
    decisions = client.get(reverse("wagtailsnippets_engagements_rwgdecision:list"))
    assert "Firmer tone" not in decisions.content.decode()
    assert "ESCALATION-SECRET" not in decisions.content.decode()


def test_recording_a_meeting_with_its_agenda_and_departments(staff_client, world):
    from engagements.models import Department

    xa, xb = world["countries.country"]
    cbsa, gac = Department.objects.get(code="cbsa"), Department.objects.get(code="gac")
    response = staff_client.post(reverse("wagtailsnippets_engagements_rwgmeeting:add"), {
        "date": "2025-03-12", "level": "dg", "attending_departments": [cbsa.pk, gac.pk],
        "agenda_countries": [xa.pk, xb.pk], "notes": "Quarterly steering committee."})
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = RWGMeeting.objects.get(date=D(2025, 3, 12))
    assert set(meeting.agenda_countries.all()) == {xa, xb}
    assert set(meeting.attending_departments.all()) == {cbsa, gac}
    page = staff_client.get(reverse("wagtailsnippets_engagements_rwgmeeting:inspect", args=[meeting.pk]))
    assert "No decision recorded yet." in page.content.decode()


def test_current_escalation_report_lists_each_countrys_step_on_a_date(xa):
    import io

    from django.core.management import CommandError, call_command

    xb = Country.objects.get_or_create(code="XB")[0]
    services.escalation_record(country=xa, level=EscalationLevel.POSITIVE_ENGAGEMENT, effective_date=D(2024, 4, 1))
    services.escalation_record(country=xa, level=EscalationLevel.PUBLIC_NAMING, effective_date=D(2025, 2, 1))
    services.escalation_record(country=xb, level=EscalationLevel.DIPLOMATIC_PRESSURE, effective_date=D(2024, 9, 1))
    out = io.StringIO()
    call_command("mcee_report", "escalation-current", "--on", "2025-01-31", stdout=out)
    assert after_marking(out.getvalue()) == "country,step,since\nXB,2,2024-09-01\nXA,1,2024-04-01\n"
    out = io.StringIO()
    call_command("mcee_report", "escalation-current", "--on", "2025-02-01", stdout=out)
    assert after_marking(out.getvalue()).splitlines()[1] == "XA,5,2025-02-01"
    with pytest.raises(CommandError, match="valid date"):
        call_command("mcee_report", "escalation-current", "--on", "yesterday")


@pytest.mark.parametrize(("role", "allowed"), [("rwg_member", True), ("mcet_staff", True), ("auditor", False),
                                               ("officer_cbsa", False)])
def test_current_escalation_report_is_for_mcet_and_rwg(role, allowed, client, settings, user_with_role):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    client.force_login(user_with_role(role))
    response = client.get(reverse("mcee_report_escalation-current"))
    assert (response.status_code == 200) is allowed
