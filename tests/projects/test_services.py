"""project_save: validated before anything is written; a failure leaves the database as it was."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from projects.models import FundingLine, Project, ProjectCountry, ProjectStatus
from projects.services import CountryShare, project_save, validate_country_shares
from tests.factories import CountryFactory, PartnerFactory, priority_area

pytestmark = pytest.mark.django_db

D = dt.date


def new_project(**overrides):
    fields = {
        "reference": "MCEE-S-001",
        "title_en": "Service test",
        "partner": PartnerFactory(),
        "status": ProjectStatus.ACTIVE,
        "approved_amount": Decimal("400000.00"),
        "planned_start": D(2020, 4, 1),
        "planned_end": D(2022, 3, 31),
    }
    fields.update(overrides)
    return Project(**fields)


def row_counts():
    return (Project.objects.count(), ProjectCountry.objects.count(), FundingLine.objects.count(),
            Project.priority_areas.through.objects.count())


@pytest.fixture
def xa():
    return CountryFactory(code="XA")


@pytest.fixture
def xb():
    return CountryFactory(code="XB")


@pytest.fixture
def xc():
    return CountryFactory(code="XC")


@pytest.fixture
def saved(xa, xb):
    """An existing project with two countries, two areas and two funding lines."""
    return project_save(
        project=new_project(),
        shares=[CountryShare(xa, Decimal("60")), CountryShare(xb, Decimal("40"))],
        priority_areas=[priority_area("border-management"), priority_area("national-policy")],
        funding={2020: (Decimal("200000"), Decimal("150000")), 2021: (Decimal("200000"), Decimal("0"))},
    )


def shares_of(project):
    return dict(ProjectCountry.objects.filter(project=project).values_list("country__code", "share"))


def funding_of(project):
    return {fy: (p, d) for fy, p, d in
            FundingLine.objects.filter(project=project).values_list("fiscal_year", "planned", "disbursed")}


def areas_of(project):
    return set(Project.objects.get(pk=project.pk).priority_areas.values_list("code", flat=True))


def test_project_save_writes_the_project_and_everything_attached(saved):
    project = Project.objects.get(reference="MCEE-S-001")
    assert project.pk == saved.pk
    assert project.approved_amount == Decimal("400000.00")
    assert shares_of(project) == {"XA": Decimal("60"), "XB": Decimal("40")}
    assert areas_of(project) == {"border-management", "national-policy"}
    assert funding_of(project) == {2020: (Decimal("200000"), Decimal("150000")),
                                   2021: (Decimal("200000"), Decimal("0"))}


def test_project_save_updates_replaces_and_removes(saved, xa, xc):
    saved.title_en = "Renamed"
    project_save(
        project=saved,
        shares=[CountryShare(xa, Decimal("25")), CountryShare(xc, Decimal("75"))],
        priority_areas=[priority_area("voluntary-return")],
        funding={2021: (Decimal("300000"), Decimal("10")), 2022: (Decimal("100000"), Decimal("0"))},
    )
    assert Project.objects.get(pk=saved.pk).title_en == "Renamed"
    assert shares_of(saved) == {"XA": Decimal("25"), "XC": Decimal("75")}
    assert areas_of(saved) == {"voluntary-return"}
    assert funding_of(saved) == {2021: (Decimal("300000"), Decimal("10")), 2022: (Decimal("100000"), Decimal("0"))}
    assert Project.objects.count() == 1


def test_project_save_leaves_what_it_is_not_given_alone(saved):
    saved.title_en = "Only the title"
    project_save(project=saved)
    assert Project.objects.get(pk=saved.pk).title_en == "Only the title"
    assert shares_of(saved) == {"XA": Decimal("60"), "XB": Decimal("40")}
    assert areas_of(saved) == {"border-management", "national-policy"}
    assert set(funding_of(saved)) == {2020, 2021}


@pytest.mark.parametrize(
    ("shares", "total"),
    [((Decimal("60"), Decimal("30")), "90"), ((Decimal("60"), Decimal("50")), "110"),
     ((Decimal("33.33"), Decimal("66.66")), "99.99")],
)
def test_shares_not_adding_to_100_are_refused_and_nothing_is_written(xa, xb, shares, total):
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        project_save(
            project=new_project(),
            shares=[CountryShare(xa, shares[0]), CountryShare(xb, shares[1])],
            priority_areas=[priority_area("border-management")],
            funding={2020: (Decimal("100"), Decimal("0"))},
        )
    assert excinfo.value.messages == [f"The country shares add up to {total} %; they must add up to 100 %."]
    assert excinfo.value.code == "shares_not_100"
    assert row_counts() == before


def test_refused_update_leaves_the_old_shares_funding_and_fields_intact(saved, xa, xb):
    before = row_counts()
    saved.title_en = "Should not be saved"
    with pytest.raises(ValidationError, match="add up to 90 %"):
        project_save(
            project=saved,
            shares=[CountryShare(xa, Decimal("60")), CountryShare(xb, Decimal("30"))],
            priority_areas=[priority_area("voluntary-return")],
            funding={2023: (Decimal("1"), Decimal("0"))},
        )
    assert row_counts() == before
    assert Project.objects.get(pk=saved.pk).title_en == "Service test"
    assert shares_of(saved) == {"XA": Decimal("60"), "XB": Decimal("40")}
    assert areas_of(saved) == {"border-management", "national-policy"}
    assert funding_of(saved) == {2020: (Decimal("200000"), Decimal("150000")),
                                 2021: (Decimal("200000"), Decimal("0"))}


def test_a_project_needs_at_least_one_country():
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        project_save(project=new_project(), shares=[])
    assert excinfo.value.messages == ["A project needs at least one country."]
    assert row_counts() == before


def test_duplicate_country_is_refused_and_nothing_is_written(xa):
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        project_save(project=new_project(),
                     shares=[CountryShare(xa, Decimal("50")), CountryShare(xa, Decimal("50"))])
    assert excinfo.value.messages == ["A country is listed twice for this project."]
    assert excinfo.value.code == "duplicate_country"
    assert row_counts() == before


@pytest.mark.parametrize(
    ("funding", "field"),
    [
        ({2020: (Decimal("100"), Decimal("0")), 2021: (Decimal("-1"), Decimal("0"))}, "planned"),
        ({2020: (Decimal("100"), Decimal("-5"))}, "disbursed"),
        ({2020: (Decimal("100"), Decimal("0")), 1999: (Decimal("1"), Decimal("0"))}, "fiscal_year"),
    ],
)
def test_an_invalid_funding_line_rolls_back_the_whole_save(xa, funding, field):
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        project_save(project=new_project(), shares=[CountryShare(xa, Decimal("100"))],
                     priority_areas=[priority_area("border-management")], funding=funding)
    assert field in excinfo.value.message_dict
    assert row_counts() == before
    assert not Project.objects.filter(reference="MCEE-S-001").exists()


def test_an_invalid_funding_line_on_update_leaves_old_lines(saved, xa, xb):
    before = row_counts()
    with pytest.raises(ValidationError):
        project_save(project=saved, shares=[CountryShare(xa, Decimal("100"))],
                     funding={2022: (Decimal("-1"), Decimal("0"))})
    assert row_counts() == before
    assert shares_of(saved) == {"XA": Decimal("60"), "XB": Decimal("40")}
    assert set(funding_of(saved)) == {2020, 2021}


def test_an_invalid_project_is_refused_before_anything_is_written(xa):
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        project_save(project=new_project(approved_amount=Decimal("3000000.01")),
                     shares=[CountryShare(xa, Decimal("100"))], funding={2020: (Decimal("1"), Decimal("0"))})
    assert "3,000,000" in excinfo.value.message_dict["approved_amount"][0]
    assert row_counts() == before


def test_validate_country_shares_accepts_exactly_100_in_any_split():
    validate_country_shares([Decimal("100")])
    validate_country_shares([Decimal("33.33"), Decimal("33.33"), Decimal("33.34")])
    validate_country_shares(["60", "40"])


@pytest.mark.parametrize(("first", "second"), [(Decimal("0"), Decimal("100")), (Decimal("150"), Decimal("-50"))])
def test_a_share_outside_0_to_100_is_a_validation_error_even_when_the_total_is_100(xa, xb, first, second):
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        project_save(project=new_project(), shares=[CountryShare(xa, first), CountryShare(xb, second)],
                     funding={2020: (Decimal("1"), Decimal("0"))})
    assert "A country's share must be more than 0 % and at most 100 %." in excinfo.value.messages
    assert row_counts() == before
