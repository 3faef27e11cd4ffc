"""A small fictional world for the API, and system accounts with tokens bound to one role group each."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from rest_framework.test import APIClient

from countries.models import Country, CountryClassification, TravelDocumentMonth
from engagements.models import Department, Engagement
from mcee.api.tokens import api_token_create, system_account_create
from mcee.roles import STANDING_ROLES, sync_role_group
from projects.models import FundingLine, KeyMessage, Partner, Project, ProjectCountry, ProjectStatus


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()
    yield
    cache.clear()


def role_group(name: str) -> Group:
    if not Group.objects.filter(name=name).exists():
        sync_role_group(next(r for r in STANDING_ROLES if r.group_name == name), Group, Permission)
    return Group.objects.get(name=name)


@pytest.fixture
def api_world(db):
    iom = Partner.objects.create(acronym="IOM", name_en="International Organization for Migration",
                                 name_fr="Organisation internationale pour les migrations", organisation_type="40")
    unhcr = Partner.objects.create(acronym="UNHCR", name_en="UNHCR", organisation_type="40")
    xa, xb = Country.objects.create(code="XA"), Country.objects.create(code="XB")
    CountryClassification.objects.create(country=xa, category="recalcitrant", effective_date=dt.date(2020, 4, 1),
                                         rationale="SECRET-RATIONALE")
    iom_project = Project.objects.create(
        reference="MCEE-API-001", title_en="Border information system", title_fr="Système d’information frontalier",
        partner=iom, status=ProjectStatus.ACTIVE, approved_amount=Decimal("480000.00"),
        planned_start=dt.date(2023, 4, 1), planned_end=dt.date(2025, 3, 31))
    ProjectCountry.objects.create(project=iom_project, country=xa, share=Decimal("100"))
    FundingLine.objects.create(project=iom_project, fiscal_year=2024, planned=Decimal("200000.00"),
                               disbursed=Decimal("150000.00"))
    unhcr_project = Project.objects.create(
        reference="MCEE-API-002", title_en="Asylum registration", partner=unhcr, status=ProjectStatus.PIPELINE,
        approved_amount=Decimal("90000.00"), planned_start=dt.date(2025, 4, 1), planned_end=dt.date(2026, 3, 31))
    ProjectCountry.objects.create(project=unhcr_project, country=xb, share=Decimal("100"))
    approved = KeyMessage.objects.create(project=iom_project, country=xa, text_en="APPROVED-MESSAGE",
                                         text_fr="MESSAGE-APPROUVÉ", status="approved",
                                         approved_at=dt.datetime(2025, 1, 6, tzinfo=dt.UTC))
    draft = KeyMessage.objects.create(project=iom_project, country=xa, text_en="DRAFT-MESSAGE",
                                      text_fr="MESSAGE-BROUILLON")
    cbsa, gac = Department.objects.get(code="cbsa"), Department.objects.get(code="gac")
    cbsa_engagement = Engagement.objects.create(
        country=xa, date=dt.date(2025, 5, 1), status="planned", kind="ottawa_bilateral", level="dg",
        lead_department=cbsa, counterpart_institution="CBSA-COUNTERPART", summary="CBSA-ENGAGEMENT")
    gac_engagement = Engagement.objects.create(
        country=xb, date=dt.date(2025, 6, 1), status="planned", kind="multilateral", level="adm",
        lead_department=gac, counterpart_institution="GAC-COUNTERPART", summary="GAC-ENGAGEMENT")
    month = TravelDocumentMonth.objects.create(country=xa, month=dt.date(2024, 4, 1), requested=12, issued=7,
                                               refused=1, pending_end=30, added_to_inventory=15, removals=6)
    return {"iom": iom, "unhcr": unhcr, "xa": xa, "xb": xb, "iom_project": iom_project,
            "unhcr_project": unhcr_project, "approved": approved, "draft": draft, "cbsa": cbsa, "gac": gac,
            "cbsa_engagement": cbsa_engagement, "gac_engagement": gac_engagement, "month": month}


@pytest.fixture
def administrator(django_user_model):
    return django_user_model.objects.create_superuser("api-admin", "api-admin@example.invalid",
                                                      "not-a-real-password-1")


@pytest.fixture
def make_token(db, administrator):
    """``make_token("CBSA officers")`` → (account, secret): a system account acting as that group."""
    def make(group_name, *, username=None, expires_at=None, permissions=()):
        account = system_account_create(username=username or f"sys-{group_name.split()[0].lower()}",
                                        group=role_group(group_name) if "reporters" not in group_name
                                        else Group.objects.get(name=group_name),
                                        permissions=permissions, user=administrator)
        return account, api_token_create(account=account, name="tests", expires_at=expires_at,
                                         user=administrator).secret
    return make


@pytest.fixture
def api_as(make_token):
    """``api_as("CBSA officers")`` → an APIClient sending that account's token."""
    def make(group_name, **kwargs):
        _account, secret = make_token(group_name, **kwargs)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return client
    return make
