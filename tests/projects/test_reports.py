"""The evaluation's Table 1 and Figure 1, and the envelope summary, on a hand-computed portfolio."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from countries.models import Category
from mcee.fiscal import FiscalYear
from projects.models import ProjectStatus
from projects.reports import FundingByCategoryReport, PriorityAreasReport
from projects.selectors import envelope_summary, funding_by_category_and_fiscal_year, projects_by_priority_area
from tests.factories import (
    ClassificationFactory,
    CountryFactory,
    FundingLineFactory,
    ProjectCountryFactory,
    ProjectFactory,
    priority_area,
)
from tests.spreadsheets import xlsx_sheet_rows

pytestmark = pytest.mark.django_db

D = dt.date
M = Decimal


@pytest.fixture
def portfolio():
    """A small portfolio whose figures are computed by hand below.

    Countries: XA recalcitrant throughout; XB preventive throughout; XC preventive, then
    recalcitrant from 1 April 2021 (the first day of 2021-22); XD at risk, then recalcitrant from
    31 March 2022 (the last day of 2021-22); XE never classified (not targeted).

    P1 active   XA 60 / XB 40   national-policy, border-management
                2020: 100,000.00 planned / 90,000.00 disbursed; 2021: 333,333.33 / 0
    P2 closed   XC 100          border-management
                2020: 50,000 / 50,000; 2021: 70,000 / 35,000.50
    P3 cancelled XA 100         identity-management, national-policy
                2020: 999,999 / 999,999 (never counted)
    P4 active   XD 50 / XE 50   regular-migration, national-policy
                2021: 10,000.02 / 0; 2025: 1,000 / 0 (outside the envelope's years)
    P5 pipeline XA 100          other-priorities; no funding
    """
    xa, xb, xc, xd, xe = (CountryFactory(code=c) for c in ("XA", "XB", "XC", "XD", "XE"))
    ClassificationFactory(country=xa, category=Category.RECALCITRANT, effective_date=D(2019, 4, 1))
    ClassificationFactory(country=xb, category=Category.PREVENTIVE, effective_date=D(2019, 4, 1))
    ClassificationFactory(country=xc, category=Category.PREVENTIVE, effective_date=D(2019, 4, 1))
    ClassificationFactory(country=xc, category=Category.RECALCITRANT, effective_date=D(2021, 4, 1))
    ClassificationFactory(country=xd, category=Category.AT_RISK, effective_date=D(2019, 6, 1))
    ClassificationFactory(country=xd, category=Category.RECALCITRANT, effective_date=D(2022, 3, 31))

    def project(reference, status, countries, areas, funding):
        p = ProjectFactory(reference=reference, status=status, priority_areas=[priority_area(a) for a in areas])
        for country, share in countries:
            ProjectCountryFactory(project=p, country=country, share=M(share))
        for year, planned, disbursed in funding:
            FundingLineFactory(project=p, fiscal_year=year, planned=M(planned), disbursed=M(disbursed))
        return p

    return {
        "P1": project("P1", ProjectStatus.ACTIVE, [(xa, "60"), (xb, "40")], ["national-policy", "border-management"],
                      [(2020, "100000.00", "90000.00"), (2021, "333333.33", "0")]),
        "P2": project("P2", ProjectStatus.CLOSED, [(xc, "100")], ["border-management"],
                      [(2020, "50000", "50000"), (2021, "70000", "35000.50")]),
        "P3": project("P3", ProjectStatus.CANCELLED, [(xa, "100")], ["identity-management", "national-policy"],
                      [(2020, "999999", "999999")]),
        "P4": project("P4", ProjectStatus.ACTIVE, [(xd, "50"), (xe, "50")], ["regular-migration", "national-policy"],
                      [(2021, "10000.02", "0"), (2025, "1000", "0")]),
        "P5": project("P5", ProjectStatus.PIPELINE, [(xa, "100")], ["other-priorities"], []),
    }


# --- Table 1: projects by priority area -----------------------------------------------------------

EXPECTED_AREAS = [
    # most projects first; ties in the evaluation's order (sort_order), not alphabetical
    ("national-policy", 2),  # P1, P4 (P3 cancelled)
    ("border-management", 2),  # P1, P2
    ("regular-migration", 1),  # P4
    ("other-priorities", 1),  # P5 (pipeline counts)
    ("irregular-migration", 0),
    ("identity-management", 0),  # only P3, cancelled
    ("voluntary-return", 0),
]


def test_projects_by_priority_area(portfolio):
    result = projects_by_priority_area()
    assert [(c.area.code, c.projects) for c in result] == EXPECTED_AREAS


def test_every_area_is_listed_even_with_no_projects():
    result = projects_by_priority_area()
    assert [(c.area.code, c.projects) for c in result] == [
        ("national-policy", 0), ("regular-migration", 0), ("border-management", 0), ("irregular-migration", 0),
        ("other-priorities", 0), ("identity-management", 0), ("voluntary-return", 0)]


def test_a_project_is_counted_once_per_area_whatever_its_countries_and_funding(portfolio):
    # P1 has two countries and two funding lines; the join must not count it four times.
    counts = {c.area.code: c.projects for c in projects_by_priority_area()}
    assert counts["border-management"] == 2


def test_cancelling_a_project_removes_it_from_the_counts(portfolio):
    p1 = portfolio["P1"]
    p1.status = ProjectStatus.CANCELLED
    p1.save()
    counts = {c.area.code: c.projects for c in projects_by_priority_area()}
    assert counts["national-policy"] == 1
    assert counts["border-management"] == 1


def test_priority_areas_report_rows_in_english_and_french(portfolio):
    rows = PriorityAreasReport().rows()
    assert rows[0] == {"code": "national-policy", "projects": 2,
                       "priority_area": "Strengthening national immigration and migration policies and procedures"}
    from django.utils import translation

    with translation.override("fr"):
        rows = PriorityAreasReport().rows()
    assert rows[1] == {"code": "border-management", "projects": 2,
                       "priority_area": "Amélioration de la gestion des frontières"}


# --- Figure 1: funding by category and fiscal year ------------------------------------------------

EXPECTED_FUNDING = [
    # 2020-21 ends 31 March 2021: XC is still preventive, XD at risk.
    # recalcitrant: P1 60 % of XA = 60,000 / 54,000
    # preventive: P1 40 % of XB = 40,000 / 36,000, plus P2 XC 50,000 / 50,000
    (2020, "recalcitrant", "60000.00", "54000.00"),
    (2020, "preventive", "90000.00", "86000.00"),
    (2020, "at_risk", "0.00", "0.00"),
    (2020, "not_targeted", "0.00", "0.00"),
    # 2021-22 ends 31 March 2022: XC recalcitrant since 1 April 2021; XD recalcitrant that very day.
    # recalcitrant: P1 XA 199,999.998 + P2 XC 70,000 + P4 XD 5,000.01 = 275,000.008
    # preventive: P1 XB 133,333.332; not targeted: P4 XE 5,000.01
    (2021, "recalcitrant", "275000.01", "35000.50"),
    (2021, "preventive", "133333.33", "0.00"),
    (2021, "at_risk", "0.00", "0.00"),
    (2021, "not_targeted", "5000.01", "0.00"),
    # 2025-26: XD and XE still recalcitrant / not targeted.
    (2025, "recalcitrant", "500.00", "0.00"),
    (2025, "preventive", "0.00", "0.00"),
    (2025, "at_risk", "0.00", "0.00"),
    (2025, "not_targeted", "500.00", "0.00"),
]


def test_funding_by_category_and_fiscal_year(portfolio):
    result = funding_by_category_and_fiscal_year()
    assert [(r.fiscal_year.start_year, r.category, r.planned, r.disbursed) for r in result] == [
        (year, category, M(planned), M(disbursed)) for year, category, planned, disbursed in EXPECTED_FUNDING]
    assert all(r.planned.as_tuple().exponent == -2 for r in result)  # to the cent, always


def test_funding_is_split_by_shares_with_exact_cents():
    # 0.01 split 50/50 is half a cent each side: decimal arithmetic, rounded half up.
    xa, xb = CountryFactory(code="XA"), CountryFactory(code="XB")
    ClassificationFactory(country=xa, category=Category.RECALCITRANT, effective_date=D(2019, 4, 1))
    ClassificationFactory(country=xb, category=Category.PREVENTIVE, effective_date=D(2019, 4, 1))
    project = ProjectFactory()
    ProjectCountryFactory(project=project, country=xa, share=M("66.67"))
    ProjectCountryFactory(project=project, country=xb, share=M("33.33"))
    FundingLineFactory(project=project, fiscal_year=2022, planned=M("2999999.99"), disbursed=M("0.03"))
    result = {r.category: (r.planned, r.disbursed) for r in funding_by_category_and_fiscal_year()}
    # 2,999,999.99 x 0.6667 = 2,000,099.993333; x 0.3333 = 999,899.996667
    # 0.03 x 0.6667 = 0.020001; x 0.3333 = 0.009999
    assert result == {
        "recalcitrant": (M("2000099.99"), M("0.02")),
        "preventive": (M("999900.00"), M("0.01")),
        "at_risk": (M("0.00"), M("0.00")),
        "not_targeted": (M("0.00"), M("0.00")),
    }


def test_half_a_cent_rounds_up_on_every_database():
    # 10,000.01 split 50/50 is 5,000.005 each side: exactly half a cent, which binary floating point
    # would turn into 5,000.00499... and round down.
    xa, xb = CountryFactory(code="XA"), CountryFactory(code="XB")
    ClassificationFactory(country=xa, category=Category.RECALCITRANT, effective_date=D(2019, 4, 1))
    project = ProjectFactory()
    ProjectCountryFactory(project=project, country=xa, share=M("50"))
    ProjectCountryFactory(project=project, country=xb, share=M("50"))
    FundingLineFactory(project=project, fiscal_year=2022, planned=M("10000.01"), disbursed=M("0.01"))
    result = {r.category: (r.planned, r.disbursed) for r in funding_by_category_and_fiscal_year()}
    assert result["recalcitrant"] == (M("5000.01"), M("0.01"))
    assert result["not_targeted"] == (M("5000.01"), M("0.01"))


def test_the_category_on_31_march_decides_the_year():
    xa = CountryFactory(code="XA")
    ClassificationFactory(country=xa, category=Category.PREVENTIVE, effective_date=D(2019, 4, 1))
    project = ProjectFactory()
    ProjectCountryFactory(project=project, country=xa, share=M("100"))
    FundingLineFactory(project=project, fiscal_year=2020, planned=M("10"), disbursed=M("0"))
    # Reclassified on 1 April 2021: 2020-21 (ending 31 March 2021) stays preventive.
    classification = ClassificationFactory(country=xa, category=Category.RECALCITRANT, effective_date=D(2021, 4, 1))
    by_category = {r.category: r.planned for r in funding_by_category_and_fiscal_year()}
    assert by_category["preventive"] == M("10.00")
    assert by_category["recalcitrant"] == M("0.00")
    # Reclassified on 31 March 2021 instead: the whole of 2020-21 counts as recalcitrant.
    classification.effective_date = D(2021, 3, 31)
    classification.save()
    by_category = {r.category: r.planned for r in funding_by_category_and_fiscal_year()}
    assert by_category["preventive"] == M("0.00")
    assert by_category["recalcitrant"] == M("10.00")


def test_no_funding_means_no_rows():
    assert funding_by_category_and_fiscal_year() == []


def test_only_cancelled_funding_means_no_rows():
    project = ProjectFactory(status=ProjectStatus.CANCELLED)
    ProjectCountryFactory(project=project, country=CountryFactory(code="XA"))
    FundingLineFactory(project=project, fiscal_year=2020)
    assert funding_by_category_and_fiscal_year() == []


def test_funding_totals_match_the_non_cancelled_funding_lines(portfolio):
    result = funding_by_category_and_fiscal_year()
    by_year = {}
    for r in result:
        by_year.setdefault(r.fiscal_year, [M(0), M(0)])
        by_year[r.fiscal_year][0] += r.planned
        by_year[r.fiscal_year][1] += r.disbursed
    assert by_year == {
        FiscalYear(2020): [M("150000.00"), M("140000.00")],
        FiscalYear(2021): [M("413333.35"), M("35000.50")],
        FiscalYear(2025): [M("1000.00"), M("0.00")],
    }


# --- The mcee_report command ----------------------------------------------------------------------


def run_report(*args) -> str:
    out = io.StringIO()
    call_command("mcee_report", *args, stdout=out)
    return out.getvalue()


PRIORITY_CSV_EN = """\
PROTECTED B
code,priority_area,projects
national-policy,Strengthening national immigration and migration policies and procedures,2
border-management,Improving border management,2
regular-migration,Strengthening regular migration,1
other-priorities,Other migration priorities,1
irregular-migration,Preventing irregular migration,0
identity-management,Improving identity management,0
voluntary-return,Assisted voluntary return,0
"""

PRIORITY_CSV_FR = """\
PROTÉGÉ B
code,priority_area,projects
national-policy,Renforcement des politiques et procédures nationales en matière d’immigration et de migration,2
border-management,Amélioration de la gestion des frontières,2
regular-migration,Renforcement de la migration régulière,1
other-priorities,Autres priorités liées à la migration,1
irregular-migration,Prévention de la migration irrégulière,0
identity-management,Amélioration de la gestion de l’identité,0
voluntary-return,Aide aux retours volontaires,0
"""

FUNDING_CSV_EN = """\
PROTECTED B
fiscal_year,category,planned,disbursed
2020-21,recalcitrant,60000.00,54000.00
2020-21,preventive,90000.00,86000.00
2020-21,at_risk,0.00,0.00
2020-21,not_targeted,0.00,0.00
2021-22,recalcitrant,275000.01,35000.50
2021-22,preventive,133333.33,0.00
2021-22,at_risk,0.00,0.00
2021-22,not_targeted,5000.01,0.00
2025-26,recalcitrant,500.00,0.00
2025-26,preventive,0.00,0.00
2025-26,at_risk,0.00,0.00
2025-26,not_targeted,500.00,0.00
"""


def test_command_priority_areas_csv(portfolio):
    assert run_report("priority-areas", "--format", "csv") == PRIORITY_CSV_EN
    assert run_report("priority-areas") == PRIORITY_CSV_EN  # CSV is the default


def test_command_priority_areas_csv_in_french(portfolio):
    assert run_report("priority-areas", "--format", "csv", "--lang", "fr") == PRIORITY_CSV_FR


def test_command_funding_csv(portfolio):
    assert run_report("funding-by-category", "--format", "csv") == FUNDING_CSV_EN


def test_command_funding_csv_in_french_uses_french_fiscal_years(portfolio):
    lines = run_report("funding-by-category", "--lang", "fr").splitlines()
    assert lines.pop(0) == "PROTÉGÉ B"  # the security marking, in the file's language
    assert lines[0] == "fiscal_year,category,planned,disbursed"
    assert lines[1] == "2020-2021,recalcitrant,60000.00,54000.00"
    assert lines[-1] == "2025-2026,not_targeted,500.00,0.00"


def test_command_writes_csv_to_a_file(portfolio, tmp_path):
    target = tmp_path / "areas.csv"
    assert run_report("priority-areas", "--out", str(target)) == ""
    assert target.read_text(encoding="utf-8") == PRIORITY_CSV_EN


def sheet_rows(path):
    """The sheet's title and its rows below the marking row."""
    workbook = load_workbook(path, read_only=True)
    [sheet] = workbook.worksheets
    return sheet.title, [list(row) for row in xlsx_sheet_rows(path.read_bytes())]


def test_command_priority_areas_xlsx(portfolio, tmp_path):
    target = tmp_path / "areas.xlsx"
    run_report("priority-areas", "--format", "xlsx", "--out", str(target))
    title, rows = sheet_rows(target)
    assert title == "priority-areas"
    expected = [line.split(",") for line in PRIORITY_CSV_EN.splitlines()[1:]]
    assert rows[0] == expected[0]
    assert [[code, name, int(n)] for code, name, n in expected[1:]] == rows[1:]


def test_command_funding_xlsx_has_the_same_rows_as_numbers(portfolio, tmp_path):
    target = tmp_path / "funding.xlsx"
    run_report("funding-by-category", "--format", "xlsx", "--out", str(target))
    title, rows = sheet_rows(target)
    assert title == "funding-by-category"
    assert rows[0] == ["fiscal_year", "category", "planned", "disbursed"]
    expected = [line.split(",") for line in FUNDING_CSV_EN.splitlines()[2:]]
    assert len(rows) == len(expected) + 1
    for got, (fy, category, planned, disbursed) in zip(rows[1:], expected, strict=True):
        assert got[:2] == [fy, category]
        assert isinstance(got[2], int | float)  # a number a spreadsheet can add up, not text
        assert round(M(str(got[2])), 2) == M(planned)
        assert round(M(str(got[3])), 2) == M(disbursed)


def test_command_xlsx_needs_an_output_file(portfolio):
    with pytest.raises(CommandError, match="--format xlsx needs --out FILE"):
        run_report("priority-areas", "--format", "xlsx")


def test_command_refuses_an_unknown_report():
    with pytest.raises(CommandError):
        run_report("no-such-report")


def test_report_columns_match_the_command_header():
    assert [c.key for c in PriorityAreasReport.columns] == ["code", "priority_area", "projects"]
    assert [c.key for c in FundingByCategoryReport.columns] == ["fiscal_year", "category", "planned", "disbursed"]


def test_funding_report_shows_category_labels_to_people(portfolio):
    rows = FundingByCategoryReport().display_rows()
    assert rows[0] == {"fiscal_year": "2020-21", "category": "Recalcitrant", "planned": M("60000.00"),
                       "disbursed": M("54000.00")}
    assert rows[3]["category"] == "Not targeted"


# --- The envelope ---------------------------------------------------------------------------------


def test_envelope_summary_without_funding_lists_the_envelope_years():
    summary = envelope_summary()
    assert summary.envelope.code == "mcee"
    assert summary.envelope.total_amount == M("21000000.00")
    assert [y.fiscal_year.label for y in summary.years] == [
        "2019-20", "2020-21", "2021-22", "2022-23", "2023-24", "2024-25"]
    assert all(y.approved == 0 and y.disbursed == 0 for y in summary.years)
    assert summary.remaining == M("21000000.00")


def test_envelope_summary_by_fiscal_year(portfolio, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        summary = envelope_summary()
    by_year = {y.fiscal_year.start_year: (y.approved, y.disbursed, y.undisbursed) for y in summary.years}
    assert by_year == {
        2019: (M("0"), M("0"), M("0")),
        2020: (M("150000.00"), M("140000.00"), M("10000.00")),  # P3 cancelled is not counted
        2021: (M("413333.35"), M("35000.50"), M("378332.85")),
        2022: (M("0"), M("0"), M("0")),
        2023: (M("0"), M("0"), M("0")),
        2024: (M("0"), M("0"), M("0")),
        2025: (M("1000.00"), M("0"), M("1000.00")),  # outside the envelope's years, still shown
    }
    assert summary.approved == M("564333.35")
    assert summary.disbursed == M("175000.50")
    assert summary.remaining == M("21000000.00") - M("564333.35") == M("20435666.65")


def test_envelope_summary_without_an_envelope_has_no_remaining(portfolio):
    from projects.models import Envelope

    Envelope.objects.all().delete()
    summary = envelope_summary()
    assert summary.envelope is None
    assert summary.remaining is None
    assert [y.fiscal_year.start_year for y in summary.years] == [2020, 2021, 2025]
