"""A small fictional world with two of everything that a role might be scoped to."""

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group, Permission

from countries.models import (
    AsylumStatistic,
    Country,
    CountryClassification,
    TimelinessTarget,
    TravelDocumentCase,
    TravelDocumentMonth,
)
from engagements.models import (
    Department,
    DisseminationPlan,
    Distribution,
    DistributionRecipient,
    Engagement,
    EngagementPlan,
    EscalationStep,
    FollowUp,
    PlanIndicator,
    Responsibility,
    ResponsibilityActivity,
    RWGDecision,
    RWGMeeting,
)
from mcee.models import ImportRun
from mcee.roles import STANDING_ROLES, sync_role_group
from projects.models import (
    CallForProposals,
    Envelope,
    EnvelopeIndicator,
    FundingLine,
    Indicator,
    IndicatorPeriod,
    KeyMessage,
    Outcome,
    Partner,
    PartnerReport,
    PartnerReportTransition,
    PartnerReportValue,
    PriorityArea,
    Project,
    ProjectCountry,
    ProjectStatus,
    Proposal,
    ProposalBudgetLine,
    ProposalCountry,
    ProposalDocument,
    ProposalEndorsement,
    ProposalTransition,
    ReportSchedule,
    Result,
    Review,
)

ROLE_GROUPS = {role.code: role.group_name for role in STANDING_ROLES}
ROLE_GROUPS["partner_reporter"] = "IOM reporters"  # created with the IOM partner
ROLE_GROUPS["no_role"] = None


@pytest.fixture
def world(db):
    iom = Partner.objects.create(acronym="IOM", name_en="IOM", organisation_type="40")
    unhcr = Partner.objects.create(acronym="UNHCR", name_en="UNHCR", organisation_type="40")
    xa = Country.objects.create(code="XA")
    xb = Country.objects.create(code="XB")
    classification = CountryClassification.objects.create(
        country=xa, category="recalcitrant", effective_date=dt.date(2020, 4, 1), rationale="SECRET-RATIONALE")
    inside_project = Project.objects.create(
        reference="MCEE-IN-001", title_en="Inside project", partner=iom, status=ProjectStatus.ACTIVE,
        approved_amount=Decimal("100000"), planned_start=dt.date(2021, 4, 1), planned_end=dt.date(2022, 3, 31))
    outside_project = Project.objects.create(
        reference="MCEE-OUT-002", title_en="Outside project", partner=unhcr, status=ProjectStatus.PIPELINE,
        approved_amount=Decimal("200000"), planned_start=dt.date(2021, 4, 1), planned_end=dt.date(2022, 3, 31))
    cbsa, gac = Department.objects.get(code="cbsa"), Department.objects.get(code="gac")
    inside_engagement = Engagement.objects.create(
        country=xa, date=dt.date(2025, 5, 1), kind="ottawa_bilateral", level="dg", lead_department=cbsa,
        summary="Inside engagement", counterpart_institution="INSIDE-MINISTRY")
    outside_engagement = Engagement.objects.create(
        country=xb, date=dt.date(2025, 6, 1), kind="multilateral", level="adm", lead_department=gac,
        summary="Outside engagement", counterpart_institution="OUTSIDE-MINISTRY")
    objects = {
        "projects.project": (inside_project, outside_project),
        "projects.partner": (iom, unhcr),
        "projects.projectcountry": (
            ProjectCountry.objects.create(project=inside_project, country=xa, share=100),
            ProjectCountry.objects.create(project=outside_project, country=xb, share=100)),
        "projects.fundingline": (
            FundingLine.objects.create(project=inside_project, fiscal_year=2021, planned=1, disbursed=1),
            FundingLine.objects.create(project=outside_project, fiscal_year=2021, planned=2, disbursed=0)),
        "projects.priorityarea": (PriorityArea.objects.get(code="border-management"),) * 2,
        "projects.envelope": (Envelope.objects.get(code="mcee"),) * 2,
        "countries.country": (xa, xb),
        "countries.countryclassification": (classification, classification),
        "countries.asylumstatistic": (
            AsylumStatistic.objects.create(country=xa, year=2024, claims=987654, irb_decided=5000, irb_rejected=2000),
            AsylumStatistic.objects.create(country=xb, year=2024, claims=876543, irb_decided=4000, irb_rejected=1000)),
        "countries.traveldocumentcase": (
            TravelDocumentCase.objects.create(country=xa, case_key="1" * 64, requested_on=dt.date(2024, 4, 1),
                                              outcome="pending", priority="WORLD-PRIORITY-IN"),
            TravelDocumentCase.objects.create(country=xb, case_key="2" * 64, requested_on=dt.date(2024, 4, 2),
                                              outcome="pending", priority="WORLD-PRIORITY-OUT")),
        "countries.traveldocumentmonth": (
            TravelDocumentMonth.objects.create(country=xa, month=dt.date(2024, 4, 1), requested=1, issued=1,
                                               refused=0, pending_end=0, removals=765431),
            TravelDocumentMonth.objects.create(country=xb, month=dt.date(2024, 4, 1), requested=1, issued=1,
                                               refused=0, pending_end=0, removals=654329)),
        "countries.timelinesstarget": (TimelinessTarget.objects.create(country=xa, target_days=7919),
                                       TimelinessTarget.objects.create(country=xb, target_days=7927)),
        "engagements.department": (cbsa, gac),
        "engagements.engagement": (inside_engagement, outside_engagement),
    }
    meeting = RWGMeeting.objects.create(date=dt.date(2025, 5, 20), level="adm", notes="WORLD-MEETING-NOTES")
    progress = RWGDecision.objects.create(meeting=meeting, country=xa, kind="progress", summary="WORLD-PROGRESS")
    step = EscalationStep.objects.create(country=xb, level=6, effective_date=dt.date(2025, 7, 1),
                                         cabinet_approval_date=dt.date(2025, 6, 30),
                                         cabinet_approval_reference="CAB-WORLD-1", rationale="WORLD-ESCALATION")
    escalation = RWGDecision.objects.create(meeting=meeting, country=xb, kind="escalate", escalation_step=step,
                                            summary="WORLD-ESCALATION-DECISION")
    plan = EngagementPlan.objects.create(country=xb, version=1, plan_type="rrep", objectives_en="WORLD-OBJECTIVES",
                                         negative_levers="WORLD-LEVERS")
    indicator = PlanIndicator.objects.create(plan=plan, name_en="Days", unit="days", baseline_value=90,
                                             baseline_date=dt.date(2025, 1, 1), target_value=30,
                                             target_date=dt.date(2026, 1, 1))
    objects["engagements.rwgmeeting"] = (meeting, meeting)
    objects["engagements.rwgdecision"] = (progress, escalation)
    objects["engagements.engagementplan"] = (plan, plan)
    objects["engagements.planindicator"] = (indicator, indicator)
    objects["engagements.escalationstep"] = (step, step)
    run = ImportRun.objects.create(kind="portfolio", file_name="RUN-FILE.xlsx", checksum="0" * 64, source="command")
    objects["mcee.importrun"] = (run, run)
    objects["projects.keymessage"] = (
        KeyMessage.objects.create(project=inside_project, country=xa, text_en="WORLD-MESSAGE-APPROVED",
                                  text_fr="Message approuvé", status="approved",
                                  approved_at=dt.datetime(2025, 5, 2, tzinfo=dt.UTC)),
        KeyMessage.objects.create(project=outside_project, country=xb, text_en="WORLD-MESSAGE-DRAFT",
                                  text_fr="Brouillon"))
    objects["engagements.followup"] = (
        FollowUp.objects.create(engagement=inside_engagement, action="WORLD-FOLLOW-UP-IN", owner_department=cbsa,
                                due_date=dt.date(2025, 6, 1)),
        FollowUp.objects.create(engagement=outside_engagement, action="WORLD-FOLLOW-UP-OUT", owner_department=gac,
                                due_date=dt.date(2025, 7, 1)))
    activity = ResponsibilityActivity.objects.get(code="raise-td-issues")
    objects["engagements.responsibilityactivity"] = (activity, activity)
    objects["engagements.responsibility"] = (
        Responsibility.objects.create(activity=activity, department=cbsa, role="R"),
        Responsibility.objects.create(activity=activity, department=gac, country=xb, role="A"))
    dissemination = DisseminationPlan.objects.create(
        title_en="WORLD-DISSEMINATION", title_fr="Diffusion", objectives_en="Reach", objectives_fr="Atteindre",
        starts_on=dt.date(2025, 4, 1))
    objects["engagements.disseminationplan"] = (dissemination, dissemination)
    sent_in = Distribution.objects.create(plan=dissemination, item="country_brief", title="WORLD-SENT-IN",
                                          sent_on=dt.date(2025, 5, 3))
    sent_out = Distribution.objects.create(plan=dissemination, item="results_digest", title="WORLD-SENT-OUT",
                                           sent_on=dt.date(2025, 5, 4))
    objects["engagements.distribution"] = (sent_in, sent_out)
    objects["engagements.distributionrecipient"] = (
        DistributionRecipient.objects.create(distribution=sent_in, department=cbsa),
        DistributionRecipient.objects.create(distribution=sent_out, department=gac))
    # Calls for proposals and proposals (issue 7): one in a call, one unsolicited.
    call_in = CallForProposals.objects.create(title_en="WORLD-CALL-IN", opens_on=dt.date(2025, 4, 1),
                                              closes_on=dt.date(2025, 6, 30))
    call_out = CallForProposals.objects.create(title_en="WORLD-CALL-OUT", opens_on=dt.date(2025, 7, 1),
                                               closes_on=dt.date(2025, 9, 30))
    proposal_in = Proposal.objects.create(call=call_in, partner=iom, title_en="WORLD-PROPOSAL-IN", state="in_review",
                                          requested_amount=Decimal("150000"), planned_start=dt.date(2026, 4, 1),
                                          planned_end=dt.date(2027, 3, 31))
    proposal_out = Proposal.objects.create(partner=unhcr, title_en="WORLD-PROPOSAL-OUT",
                                           requested_amount=Decimal("90000"), planned_start=dt.date(2026, 4, 1),
                                           planned_end=dt.date(2027, 3, 31))
    objects["projects.callforproposals"] = (call_in, call_out)
    objects["projects.proposal"] = (proposal_in, proposal_out)
    objects["projects.proposalcountry"] = (ProposalCountry.objects.create(proposal=proposal_in, country=xa),
                                           ProposalCountry.objects.create(proposal=proposal_out, country=xb))
    objects["projects.proposalbudgetline"] = (
        ProposalBudgetLine.objects.create(proposal=proposal_in, fiscal_year=2026, amount=Decimal("150000")),
        ProposalBudgetLine.objects.create(proposal=proposal_out, fiscal_year=2026, amount=Decimal("90000")))
    objects["projects.proposaldocument"] = (
        ProposalDocument.objects.create(proposal=proposal_in, file="proposals/world-in.pdf", size=10),
        ProposalDocument.objects.create(proposal=proposal_out, file="proposals/world-out.pdf", size=10))
    objects["projects.proposaltransition"] = (
        ProposalTransition.objects.create(proposal=proposal_in, from_state="screening", to_state="in_review"),
        ProposalTransition.objects.create(proposal=proposal_out, from_state="draft", to_state="submitted"))
    objects["projects.proposalendorsement"] = (
        ProposalEndorsement.objects.create(proposal=proposal_in, meeting_date=dt.date(2025, 5, 20)),
        ProposalEndorsement.objects.create(proposal=proposal_out, meeting_date=dt.date(2025, 8, 20)))
    review = {"alignment": 4, "country_need": 4, "leverage": 3, "partner_capacity": 5, "value_for_money": 3}
    objects["projects.review"] = (
        Review.objects.create(proposal=proposal_in, recommendation="recommend", **review),
        Review.objects.create(proposal=proposal_out, recommendation="not_recommend", **review))
    # The results framework and partner reports (issue 7, second part): IOM's (inside) and UNHCR's (outside).
    objects["projects.outcome"] = (Outcome.objects.get(code="ACT-1"), Outcome.objects.get(code="IMM-3"))
    imm3 = objects["projects.outcome"][1]
    objects["projects.envelopeindicator"] = (
        EnvelopeIndicator.objects.create(code="pmf-in", name_en="WORLD-PMF-IN", name_fr="CMR", unit="cases",
                                         outcome=imm3),
        EnvelopeIndicator.objects.create(code="pmf-out", name_en="WORLD-PMF-OUT", name_fr="CMR", unit="days",
                                         outcome=imm3))
    results = (Result.objects.create(project=inside_project, outcome=imm3, title_en="WORLD-RESULT-IN"),
               Result.objects.create(project=outside_project, outcome=imm3, title_en="WORLD-RESULT-OUT"))
    objects["projects.result"] = results
    indicators = tuple(
        Indicator.objects.create(result=result, name_en=name, unit="cases", baseline_value=0,
                                 baseline_date=dt.date(2021, 4, 1), target_value=100)
        for result, name in zip(results, ("WORLD-INDICATOR-IN", "WORLD-INDICATOR-OUT"), strict=True))
    objects["projects.indicator"] = indicators
    objects["projects.indicatorperiod"] = tuple(
        IndicatorPeriod.objects.create(indicator=indicator, period_start=dt.date(2021, 4, 1),
                                       period_end=dt.date(2021, 9, 30), target_value=50, actual_value=40)
        for indicator in indicators)
    objects["projects.reportschedule"] = (ReportSchedule.objects.create(project=inside_project),
                                          ReportSchedule.objects.create(project=outside_project))
    reports = tuple(
        PartnerReport.objects.create(project=project, period_start=dt.date(2021, 4, 1),
                                     period_end=dt.date(2021, 9, 30), due_on=dt.date(2021, 10, 30))
        for project in (inside_project, outside_project))
    objects["projects.partnerreport"] = reports
    objects["projects.partnerreportvalue"] = tuple(
        PartnerReportValue.objects.create(report=report, indicator=indicator, value=40)
        for report, indicator in zip(reports, indicators, strict=True))
    objects["projects.partnerreporttransition"] = tuple(
        PartnerReportTransition.objects.create(report=report, from_status="draft", to_status="submitted")
        for report in reports)
    # The newest entry of the audit trail, so that it is on the trail's first page.
    entry = LogEntry.objects.order_by("-timestamp", "-pk").first()
    objects["auditlog.logentry"] = (entry, entry)
    return objects


@pytest.fixture
def user_with_role(django_user_model, world):
    def make(role_code):
        user = django_user_model.objects.create_user(f"u-{role_code}", password="x-not-used-0123")
        group_name = ROLE_GROUPS[role_code]
        if group_name:
            if not Group.objects.filter(name=group_name).exists():
                role = next(r for r in STANDING_ROLES if r.code == role_code)
                sync_role_group(role, Group, Permission)
            user.groups.add(Group.objects.get(name=group_name))
        return user

    return make
