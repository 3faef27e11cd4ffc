"""A fictional country with everything a brief shows, known figure by figure, and readers of each role."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission

from countries.models import Country, CountryClassification, TimelinessTarget, TravelDocumentCase
from engagements.models import (
    Department,
    Engagement,
    EngagementPlan,
    EscalationStep,
    FollowUp,
    RWGDecision,
    RWGMeeting,
)
from mcee.roles import STANDING_ROLES, sync_role_group
from projects.models import KeyMessage, Partner, Project, ProjectCountry, ProjectStatus

# The brief is read on this day: the last complete fiscal quarter is 2026-27 Q2 (July to September 2026),
# and the eight quarters shown run from 2024-25 Q3 (October 2024) to it.
ON = dt.date(2026, 12, 6)


@pytest.fixture
def reader(django_user_model, db):
    """``reader("rwg_member")``: a user in that role's group."""
    def make(role_code):
        role = next(r for r in STANDING_ROLES if r.code == role_code)
        sync_role_group(role, Group, Permission)
        user = django_user_model.objects.create_user(f"reader-{role_code}", password="x-not-used-0123")
        user.groups.add(Group.objects.get(name=role.group_name))
        return user

    return make


def _cases(country, start: dt.date, days: list[int | None], prefix: str):
    for number, wait in enumerate(days):
        issued = start + dt.timedelta(days=wait) if wait is not None else None
        TravelDocumentCase.objects.create(
            country=country, case_key=f"{prefix}{number:060d}"[-64:], requested_on=start, issued_on=issued,
            outcome="issued" if issued else "pending", days_to_issue=wait)


@pytest.fixture
def briefing(db):
    """XA, recalcitrant since 2019 (preventive before), with known travel-document cases, a project, key
    messages, engagements, a follow-up, an escalation step, a plan and an RWG decision."""
    xa = Country.objects.create(code="XA")
    CountryClassification.objects.create(country=xa, category="preventive", effective_date=dt.date(2017, 4, 1),
                                         rationale="Claims rising.")
    CountryClassification.objects.create(country=xa, category="recalcitrant", effective_date=dt.date(2019, 6, 1),
                                         rationale="SENSITIVE-RATIONALE")
    TimelinessTarget.objects.create(country=xa, target_days=60)
    # 2025-26 Q1 (April to June 2025): three requests on 1 April 2025, two issued after 30 and 50 days.
    _cases(xa, dt.date(2025, 4, 1), [30, 50, None], "a")
    # 2026-27 Q2 (July to September 2026): two requests on 1 July 2026, issued after 10 and 20 days.
    _cases(xa, dt.date(2026, 7, 1), [10, 20], "b")
    iom = Partner.objects.create(acronym="IOM", acronym_fr="OIM", name_en="IOM", organisation_type="40")
    project = Project.objects.create(
        reference="MCEE-XA-001", title_en="Border records", title_fr="Registres frontaliers", partner=iom,
        status=ProjectStatus.ACTIVE, approved_amount=Decimal("1234567"), planned_start=dt.date(2025, 1, 15),
        planned_end=dt.date(2027, 3, 31))
    ProjectCountry.objects.create(project=project, country=xa, share=100)
    pipeline = Project.objects.create(
        reference="MCEE-XA-PIPE", title_en="Pipeline idea", partner=iom, status=ProjectStatus.PIPELINE,
        approved_amount=Decimal("100000"), planned_start=dt.date(2027, 4, 1), planned_end=dt.date(2028, 3, 31))
    ProjectCountry.objects.create(project=pipeline, country=xa, share=100)
    KeyMessage.objects.create(project=project, country=xa, text_en="Approved message EN",
                              text_fr="Message approuvé FR", status="approved",
                              approved_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    KeyMessage.objects.create(project=project, country=xa, text_en="DRAFT-MESSAGE", text_fr="BROUILLON",
                              status="draft")
    cbsa, gac = Department.objects.get(code="cbsa"), Department.objects.get(code="gac")
    held = Engagement.objects.create(country=xa, date=dt.date(2026, 5, 12), status="held", kind="ottawa_bilateral",
                                     level="dg", lead_department=cbsa, removals_raised=True, outcome="Agreed.")
    held.projects_leveraged.add(project)
    held.save()  # a parental many-to-many is written when its engagement is saved
    Engagement.objects.create(country=xa, date=dt.date(2026, 2, 3), status="held", kind="multilateral",
                              level="adm", lead_department=gac, no_project_leveraged=True)
    Engagement.objects.create(country=xa, date=dt.date(2027, 1, 20), status="planned", kind="ministerial_visit",
                              level="minister", lead_department=gac)
    FollowUp.objects.create(engagement=held, action="Send the list of pending requests", owner_department=cbsa,
                            due_date=dt.date(2026, 6, 1))
    FollowUp.objects.create(engagement=held, action="DONE-ACTION", owner_department=cbsa,
                            due_date=dt.date(2026, 6, 1), status="done", completed_on=dt.date(2026, 5, 30))
    EscalationStep.objects.create(country=xa, level=3, effective_date=dt.date(2025, 10, 1), rationale="x")
    EngagementPlan.objects.create(country=xa, version=1, plan_type="rrep", status="approved",
                                  objectives_en="Issue within 60 days", objectives_fr="Délivrer en 60 jours")
    meeting = RWGMeeting.objects.create(date=dt.date(2025, 9, 17), level="adm")
    RWGDecision.objects.create(meeting=meeting, kind="progress", country=xa, summary="Progress noted.")
    return {"country": xa, "project": project, "held": held}


# The fictional world and role users of the access tests serve the dashboard's tests too.
from tests.access.conftest import user_with_role, world  # noqa: E402, F401
