"""The portfolio's rules hold in the database itself, and full_clean() explains them in words."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from mcee.i18n import localized
from projects.models import (
    FundingLine,
    Partner,
    Project,
    ProjectCountry,
    ProjectStatus,
    SizeCategory,
    months_between,
    size_category_for,
)
from tests.factories import CountryFactory, FundingLineFactory, PartnerFactory, ProjectCountryFactory, ProjectFactory

pytestmark = pytest.mark.django_db

D = dt.date


def project_fields(**overrides):
    fields = {
        "reference": "MCEE-DB-001",
        "title_en": "Database rules",
        "partner": PartnerFactory(),
        "status": ProjectStatus.ACTIVE,
        "approved_amount": Decimal("100000.00"),
        "planned_start": D(2020, 4, 1),
        "planned_end": D(2022, 3, 31),
    }
    fields.update(overrides)
    return fields


def assert_refused_by_database(write):
    """The write fails in the database, and the transaction around it can be rolled back cleanly."""
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


# --- Constraints enforced by the database, bypassing clean() -------------------------------------


def test_a_valid_project_is_accepted_by_the_database():
    project = Project.objects.create(**project_fields())
    assert Project.objects.filter(pk=project.pk).exists()


@pytest.mark.parametrize("amount", [Decimal("-0.01"), Decimal("-100000")])
def test_database_refuses_a_negative_amount(amount):
    assert_refused_by_database(lambda: Project.objects.create(**project_fields(approved_amount=amount)))
    assert not Project.objects.exists()


def test_database_refuses_an_amount_over_three_million():
    assert_refused_by_database(
        lambda: Project.objects.create(**project_fields(approved_amount=Decimal("3000000.01"))))
    assert not Project.objects.exists()


def test_database_accepts_exactly_three_million_and_zero():
    Project.objects.create(**project_fields(reference="A", approved_amount=Decimal("3000000.00")))
    Project.objects.create(**project_fields(reference="B", approved_amount=Decimal("0")))
    assert Project.objects.count() == 2


def test_database_refuses_an_amount_raised_over_the_limit_by_update():
    project = ProjectFactory(approved_amount=Decimal("100000"))
    assert_refused_by_database(
        lambda: Project.objects.filter(pk=project.pk).update(approved_amount=Decimal("3500000")))
    assert_refused_by_database(
        lambda: Project.objects.filter(pk=project.pk).update(approved_amount=Decimal("-1")))
    project.refresh_from_db()
    assert project.approved_amount == Decimal("100000")


def test_database_refuses_planned_end_before_start():
    assert_refused_by_database(lambda: Project.objects.create(
        **project_fields(planned_start=D(2021, 4, 1), planned_end=D(2021, 3, 31))))
    project = ProjectFactory()
    assert_refused_by_database(
        lambda: Project.objects.filter(pk=project.pk).update(planned_end=D(2000, 1, 1)))


def test_database_accepts_a_one_day_plan():
    Project.objects.create(**project_fields(planned_start=D(2021, 4, 1), planned_end=D(2021, 4, 1)))


def test_database_refuses_actual_end_before_actual_start():
    assert_refused_by_database(lambda: Project.objects.create(
        **project_fields(actual_start=D(2021, 4, 2), actual_end=D(2021, 4, 1))))
    assert not Project.objects.exists()


def test_database_accepts_partial_actual_dates():
    Project.objects.create(**project_fields(reference="A", actual_start=D(2021, 4, 2)))
    Project.objects.create(**project_fields(reference="B", actual_end=D(2021, 4, 1)))
    Project.objects.create(**project_fields(reference="C", actual_start=D(2021, 4, 1), actual_end=D(2021, 4, 1)))
    assert Project.objects.count() == 3


def test_database_refuses_an_unknown_status():
    project = ProjectFactory()
    assert_refused_by_database(lambda: Project.objects.filter(pk=project.pk).update(status="lost"))


def test_database_refuses_a_duplicate_reference():
    ProjectFactory(reference="MCEE-2021-004")
    assert_refused_by_database(lambda: ProjectFactory(reference="MCEE-2021-004"))


@pytest.mark.parametrize("share", [Decimal("0"), Decimal("-5"), Decimal("100.01"), Decimal("150")])
def test_database_refuses_a_share_outside_0_to_100(share):
    project = ProjectFactory()
    country = CountryFactory(code="XA")
    assert_refused_by_database(
        lambda: ProjectCountry.objects.bulk_create([ProjectCountry(project=project, country=country, share=share)]))
    assert not ProjectCountry.objects.exists()


@pytest.mark.parametrize("share", [Decimal("0.01"), Decimal("100")])
def test_database_accepts_a_share_at_the_bounds(share):
    ProjectCountry.objects.create(project=ProjectFactory(), country=CountryFactory(code="XA"), share=share)


def test_database_refuses_a_share_updated_to_zero():
    line = ProjectCountryFactory(share=Decimal("100"))
    assert_refused_by_database(lambda: ProjectCountry.objects.filter(pk=line.pk).update(share=0))


def test_database_refuses_the_same_country_twice_in_a_project():
    project = ProjectFactory()
    country = CountryFactory(code="XA")
    ProjectCountry.objects.create(project=project, country=country, share=Decimal("60"))
    assert_refused_by_database(
        lambda: ProjectCountry.objects.create(project=project, country=country, share=Decimal("40")))
    # The same country in another project is fine.
    ProjectCountry.objects.create(project=ProjectFactory(), country=country, share=Decimal("100"))
    assert ProjectCountry.objects.filter(country=country).count() == 2


def test_database_refuses_two_funding_lines_for_one_year():
    project = ProjectFactory()
    FundingLine.objects.create(project=project, fiscal_year=2021, planned=Decimal("1"))
    assert_refused_by_database(
        lambda: FundingLine.objects.bulk_create([FundingLine(project=project, fiscal_year=2021)]))
    FundingLine.objects.create(project=project, fiscal_year=2022)
    FundingLine.objects.create(project=ProjectFactory(), fiscal_year=2021)
    assert FundingLine.objects.count() == 3


@pytest.mark.parametrize("field", ["planned", "disbursed"])
def test_database_refuses_negative_funding(field):
    project = ProjectFactory()
    assert_refused_by_database(
        lambda: FundingLine.objects.create(project=project, fiscal_year=2021, **{field: Decimal("-0.01")}))
    line = FundingLine.objects.create(project=project, fiscal_year=2021)
    assert_refused_by_database(lambda: FundingLine.objects.filter(pk=line.pk).update(**{field: Decimal("-1")}))


@pytest.mark.parametrize("year", [1999, 24, 2101, 0])
def test_database_refuses_an_implausible_fiscal_year(year):
    project = ProjectFactory()
    assert_refused_by_database(lambda: FundingLine.objects.create(project=project, fiscal_year=year))
    assert not FundingLine.objects.exists()


@pytest.mark.parametrize("year", [2000, 2100])
def test_database_accepts_fiscal_years_at_the_bounds(year):
    FundingLine.objects.create(project=ProjectFactory(), fiscal_year=year)


# --- The same rules through full_clean(), with messages a person understands ---------------------


def clean_errors(instance, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean(**kwargs)
    return excinfo.value.message_dict


def unsaved_project(**overrides):
    return Project(**project_fields(**overrides))


def test_a_valid_project_is_clean():
    unsaved_project().full_clean()


def test_clean_explains_a_negative_amount():
    errors = clean_errors(unsaved_project(approved_amount=Decimal("-1")))
    assert errors == {"approved_amount": ["The approved amount cannot be negative."]}


def test_clean_explains_an_amount_over_three_million():
    errors = clean_errors(unsaved_project(approved_amount=Decimal("3000000.01")))
    assert list(errors) == ["approved_amount"]
    [message] = errors["approved_amount"]
    assert "3,000,000" in message
    assert "large-project limit" in message


def test_clean_accepts_exactly_three_million():
    unsaved_project(approved_amount=Decimal("3000000")).full_clean()


def test_clean_explains_planned_end_before_start():
    errors = clean_errors(unsaved_project(planned_start=D(2021, 4, 1), planned_end=D(2021, 3, 31)))
    assert errors == {"planned_end": ["The planned end is before the planned start."]}


def test_clean_explains_actual_end_before_start():
    errors = clean_errors(unsaved_project(actual_start=D(2021, 4, 2), actual_end=D(2021, 4, 1)))
    assert errors == {"actual_end": ["The actual end is before the actual start."]}


def test_clean_reports_every_broken_rule_at_once():
    errors = clean_errors(unsaved_project(approved_amount=Decimal("-5"), planned_start=D(2021, 4, 1),
                                          planned_end=D(2021, 1, 1), actual_start=D(2021, 5, 1),
                                          actual_end=D(2021, 4, 1)))
    assert set(errors) == {"approved_amount", "planned_end", "actual_end"}


def test_thirty_six_months_exactly_is_accepted():
    project = unsaved_project(planned_start=D(2019, 4, 1), planned_end=D(2022, 3, 31))
    assert project.planned_months == 36
    project.full_clean()


def test_one_day_over_thirty_six_months_is_refused():
    project = unsaved_project(planned_start=D(2019, 4, 1), planned_end=D(2022, 4, 1))
    assert project.planned_months == 37
    errors = clean_errors(project)
    assert errors == {"planned_end": ["MCEE projects run for up to 3 years (36 months); this plan runs 37 months."]}


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (D(2020, 4, 1), D(2021, 3, 31), 12),
        (D(2020, 4, 1), D(2020, 4, 1), 1),
        (D(2020, 4, 1), D(2020, 4, 30), 1),
        (D(2020, 4, 1), D(2020, 5, 1), 2),
        (D(2020, 4, 15), D(2023, 4, 14), 36),
        (D(2020, 4, 15), D(2023, 4, 15), 37),
    ],
)
def test_months_between_counts_a_started_month(start, end, months):
    assert months_between(start, end) == months


def test_planned_months_is_none_for_a_reversed_plan():
    assert unsaved_project(planned_start=D(2021, 4, 1), planned_end=D(2021, 3, 1)).planned_months is None


def test_clean_names_a_duplicate_reference():
    ProjectFactory(reference="MCEE-2021-004")
    errors = clean_errors(unsaved_project(reference="MCEE-2021-004"))
    assert errors == {"reference": ["Project with this Reference already exists."]}


@pytest.mark.parametrize("share", [Decimal("0"), Decimal("-5"), Decimal("100.01")])
def test_clean_explains_a_share_outside_0_to_100(share):
    line = ProjectCountry(project=ProjectFactory(), country=CountryFactory(code="XA"), share=share)
    errors = clean_errors(line)
    assert errors == {"share": ["A country's share must be more than 0 % and at most 100 %."]}


def test_clean_names_a_duplicate_country():
    project = ProjectFactory()
    country = CountryFactory(code="XA")
    ProjectCountry.objects.create(project=project, country=country, share=Decimal("60"))
    errors = clean_errors(ProjectCountry(project=project, country=country, share=Decimal("40")))
    assert errors == {"__all__": ["Project country with this Project and Country already exists."]}


def test_clean_names_a_duplicate_funding_year():
    project = ProjectFactory()
    FundingLineFactory(project=project, fiscal_year=2021)
    errors = clean_errors(FundingLine(project=project, fiscal_year=2021))
    assert errors == {"__all__": ["Funding line with this Project and Fiscal year already exists."]}


def test_clean_explains_negative_funding():
    errors = clean_errors(FundingLine(project=ProjectFactory(), fiscal_year=2021, planned=Decimal("-1"),
                                      disbursed=Decimal("-2")))
    assert errors == {"planned": ["Planned funding cannot be negative."],
                      "disbursed": ["Disbursed funding cannot be negative."]}


@pytest.mark.parametrize("year", [1999, 24, 2101])
def test_clean_explains_an_implausible_fiscal_year(year):
    errors = clean_errors(FundingLine(project=ProjectFactory(), fiscal_year=year))
    assert errors == {"fiscal_year": ["Write the fiscal year as the year it starts in, for example 2024."]}


def test_funding_line_label_follows_the_language():
    line = FundingLine(fiscal_year=2024)
    assert line.fiscal_year_label == "2024-25"
    with translation.override("fr"):
        assert line.fiscal_year_label == "2024-2025"


# --- Size category --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "category"),
    [
        (Decimal("0"), SizeCategory.SMALL),
        (Decimal("249999.99"), SizeCategory.SMALL),
        (Decimal("250000.00"), SizeCategory.LARGE),
        (Decimal("250000.01"), SizeCategory.LARGE),
        (Decimal("3000000"), SizeCategory.LARGE),
    ],
)
def test_size_category_at_the_250000_boundary(amount, category):
    assert size_category_for(amount) == category
    project = unsaved_project(approved_amount=amount)
    assert project.size_category == category
    assert project.get_size_category_display() == str(category.label)


def test_size_category_of_a_project_without_amount_is_empty():
    project = unsaved_project(approved_amount=None)
    assert project.size_category == ""
    assert project.get_size_category_display() == ""


# --- Paired English/French fields ------------------------------------------------------------------


def test_localized_picks_the_wanted_language():
    project = unsaved_project(title_en="Border posts", title_fr="Postes frontaliers")
    text = localized(project, "title", "fr")
    assert (text.text, text.language, text.is_fallback) == ("Postes frontaliers", "fr", False)
    text = localized(project, "title", "en")
    assert (text.text, text.language, text.is_fallback) == ("Border posts", "en", False)


def test_localized_falls_back_visibly_when_french_is_missing():
    project = unsaved_project(title_en="Border posts", title_fr="")
    text = localized(project, "title", "fr")
    assert (str(text), text.language, text.is_fallback) == ("Border posts", "en", True)


def test_localized_falls_back_visibly_when_english_is_missing():
    project = unsaved_project(title_en="", title_fr="Postes frontaliers")
    text = localized(project, "title", "en")
    assert (str(text), text.language, text.is_fallback) == ("Postes frontaliers", "fr", True)


def test_localized_with_neither_language_is_empty_and_falsy():
    project = unsaved_project(title_en="", title_fr="")
    text = localized(project, "title", "fr")
    assert text.text == ""
    assert not text
    assert text.is_fallback


def test_localized_follows_the_active_language_through_model_properties():
    project = unsaved_project(title_en="Border posts", title_fr="Postes frontaliers")
    with translation.override("fr"):
        assert str(project.title) == "Postes frontaliers"
        assert not project.title.is_fallback
    assert str(project.title) == "Border posts"
    assert str(project) == "MCEE-DB-001 Border posts"


def test_partner_str_uses_the_french_acronym_only_when_there_is_one():
    with_fr = Partner(acronym="IOM", acronym_fr="OIM", name_en="x", organisation_type="40")
    without_fr = Partner(acronym="ARK", name_en="ARK Group DMCC", organisation_type="70")
    with translation.override("fr"):
        assert str(with_fr) == "OIM"
        assert str(without_fr) == "ARK"
    assert str(with_fr) == "IOM"
