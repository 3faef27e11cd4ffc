"""factory_boy factories for fictional test data (countries use ISO user-assigned codes XA-XZ)."""

import datetime as dt
from decimal import Decimal

import factory

from countries.models import Category, Country, CountryClassification
from projects.models import FundingLine, Partner, PriorityArea, Project, ProjectCountry, ProjectStatus


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = factory.Iterator(["XA", "XB", "XC", "XD", "XE", "XF", "XG", "XH"])


class ClassificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CountryClassification

    country = factory.SubFactory(CountryFactory)
    category = Category.RECALCITRANT
    effective_date = dt.date(2019, 4, 1)
    rationale = "Fictional rationale for tests."


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ("acronym",)

    acronym = factory.Sequence(lambda n: f"P{n:02d}")
    name_en = factory.LazyAttribute(lambda o: f"Partner {o.acronym}")
    name_fr = factory.LazyAttribute(lambda o: f"Partenaire {o.acronym}")
    organisation_type = "40"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"MCEE-T-{n:03d}")
    title_en = factory.Sequence(lambda n: f"Test project {n}")
    title_fr = factory.Sequence(lambda n: f"Projet d’essai {n}")
    partner = factory.SubFactory(PartnerFactory)
    status = ProjectStatus.ACTIVE
    approved_amount = Decimal("500000.00")
    planned_start = dt.date(2020, 4, 1)
    planned_end = dt.date(2022, 3, 31)

    @factory.post_generation
    def priority_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.priority_areas.set(extracted)
            self.save()


class ProjectCountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectCountry

    project = factory.SubFactory(ProjectFactory)
    country = factory.SubFactory(CountryFactory)
    share = Decimal("100")


class FundingLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingLine

    project = factory.SubFactory(ProjectFactory)
    fiscal_year = 2020
    planned = Decimal("100000.00")
    disbursed = Decimal("100000.00")


def priority_area(code: str) -> PriorityArea:
    return PriorityArea.objects.get(code=code)
