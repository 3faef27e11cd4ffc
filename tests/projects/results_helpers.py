"""Builders shared by the results-framework and partner-reporting tests (fictional data only)."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from projects.models import (
    Accumulation,
    EnvelopeIndicator,
    Indicator,
    IndicatorKind,
    IndicatorPeriod,
    Outcome,
    Partner,
    ProjectCountry,
    Result,
)
from tests.factories import CountryFactory, PartnerFactory, ProjectFactory

D = dt.date


START, END = D(2022, 4, 1), D(2025, 3, 31)


def project_of(acronym="IOM", reference=None, start=START, end=END, country="XA", **values):
    partner = PartnerFactory(acronym=acronym)
    kwargs = {"reference": reference} if reference else {}
    project = ProjectFactory(partner=partner, planned_start=start, planned_end=end, **kwargs, **values)
    ProjectCountry.objects.create(project=project, country=CountryFactory(code=country), share=100)
    return project


def outcome(code="IMM-2"):
    return Outcome.objects.get(code=code)


def pmf(code="PMF-CASES", unit="cases", outcome_code="IMM-2", ascending=True):
    return EnvelopeIndicator.objects.create(code=code, name_en=f"{code} indicator", name_fr=f"Indicateur {code}",
                                            unit=unit, outcome=outcome(outcome_code), ascending=ascending)


def indicator(project, *, name="Cases supported", unit="cases", baseline=0, target=100, ascending=True,
              accumulation=Accumulation.SUM, pmf_indicator=None, kind=IndicatorKind.QUANTITATIVE, result=None):
    result = result or Result.objects.create(project=project, outcome=outcome(), title_en=f"Result of {name}")
    quantitative = kind == IndicatorKind.QUANTITATIVE
    made = Indicator(result=result, name_en=name, name_fr=f"{name} (fr)", unit=unit if quantitative else "",
                     kind=kind, accumulation=accumulation, ascending=ascending,
                     baseline_value=Decimal(baseline) if quantitative and baseline is not None else None,
                     baseline_date=project.planned_start if quantitative else None,
                     target_value=Decimal(target) if quantitative and target is not None else None,
                     pmf_indicator=pmf_indicator)
    made.full_clean()
    made.save()
    return made


def period(of, start, end, target=None, actual=None, text=""):
    made = IndicatorPeriod(indicator=of, period_start=start, period_end=end,
                           target_value=None if target is None else Decimal(target),
                           actual_value=None if actual is None else Decimal(actual), actual_text=text)
    made.full_clean()
    made.save()
    return made


def reporter(partner: Partner, username=None, email=None, language=""):
    """A user in the partner's reporter group (created with the partner, with its grant)."""
    user = get_user_model().objects.create_user(username or f"reporter-{partner.acronym.lower()}",
                                                email=email or "", password="x-not-used-0123")
    user.groups.add(Group.objects.get(name=f"{partner.acronym} reporters"))
    if language:
        from wagtail.users.models import UserProfile

        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()
    return user
