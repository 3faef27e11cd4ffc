"""The IATI export (issue 9): the file validates against the IATI 2.03 activity schema kept in the repository,
holds what the setting publishes and nothing else, refuses to be written while a pre-export check fails
(naming the project and the field, leaving no file behind), and is downloaded from the admin by MCET only,
in a number of queries that does not grow with the projects."""

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from countries.models import Category
from mcee.fiscal import FiscalYear
from projects import iati
from projects.iati import IatiCheckFailed, iati_export, write_iati_file
from projects.iati.checks import iati_problems
from projects.iati.config import iati_config
from projects.iati.selectors import Budget, iati_publication
from projects.iati.writer import SCHEMA, iati_schema
from projects.models import (
    FundingLine,
    IndicatorKind,
    IndicatorPeriod,
    KeyMessage,
    KeyMessageStatus,
    Project,
    ProjectCountry,
    ProjectStatus,
)
from tests.factories import ClassificationFactory, CountryFactory, PartnerFactory, ProjectFactory
from tests.projects.results_helpers import D, indicator, period, reporter
from tests.projects.test_proposal_workflow import user_in_role

pytestmark = pytest.mark.django_db
ORG = "XX-TEST-IRCC"
ALL_FIELDS = ["budgets", "transactions", "descriptions", "results"]
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(autouse=True)
def _iati_setting(settings):
    """The base setting (nothing opted in, conservative fields) with a reporting identifier for tests."""
    settings.MCEE_IATI = {**settings.MCEE_IATI, "REPORTING_ORG_REF": ORG, "PROJECTS": [],
                          "STATUSES": ["active", "finalisation", "closed"], "FIELDS": ["budgets", "transactions"],
                          "MARKING_EN": "", "MARKING_FR": ""}
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []


def publish(settings, projects=("*",), fields=None, **more):
    settings.MCEE_IATI = {**settings.MCEE_IATI, "PROJECTS": list(projects), **more}
    if fields is not None:
        settings.MCEE_IATI["FIELDS"] = list(fields)


def add_project(reference, *, status=ProjectStatus.ACTIVE, shares=(("XA", 60), ("XB", 40)), partner=None,
                funding=(), **values):
    """A fictional project from 2022-04-01 to 2025-03-31; funding as (start year, planned, disbursed)."""
    project = ProjectFactory(reference=reference, status=status, partner=partner or PartnerFactory(
        acronym="IOM", name_en="Fictional Migration Agency", name_fr="Agence fictive des migrations",
        iati_ref="XM-TEST-47066"), **{"planned_start": D(2022, 4, 1), "planned_end": D(2025, 3, 31), **values})
    for code, share in shares:
        ProjectCountry.objects.create(project=project, country=CountryFactory(code=code), share=Decimal(share))
    for year, planned, disbursed in funding:
        FundingLine.objects.create(project=project, fiscal_year=year, planned=Decimal(planned),
                                   disbursed=Decimal(disbursed))
    return project


@pytest.fixture
def portfolio():
    """An active project with countries, funding, a quantitative and a qualitative indicator; a closed one;
    a cancelled one and one still in the pipeline."""
    active = add_project(
        "MCEE-2022-001", title_en="Border data system", title_fr="Système de données frontalières",
        summary_en="SUMMARY-EN of the border data system.", summary_fr="RÉSUMÉ-FR du système de données.",
        actual_start=D(2022, 5, 2),
        funding=((2022, "100000", "90000"), (2023, "150000", "0"), (2024, "50000", "50000")))
    cases = indicator(active, name="Cases supported", unit="cases", baseline=10, target=100)
    period(cases, D(2022, 4, 1), D(2023, 3, 31), target=30, actual=25)
    period(cases, D(2023, 4, 1), D(2024, 3, 31), target=40, actual=45)
    procedures = indicator(active, name="Procedures adopted", kind=IndicatorKind.QUALITATIVE)
    period(procedures, D(2023, 4, 1), D(2024, 3, 31), text="Two procedures adopted by the ministry.")
    closed = add_project("MCEE-2022-002", status=ProjectStatus.CLOSED, shares=(("XC", 100),),
                         funding=((2022, "80000", "80000"),), actual_start=D(2022, 4, 1), actual_end=D(2025, 3, 31))
    cancelled = add_project("MCEE-2022-003", status=ProjectStatus.CANCELLED, shares=(("XD", 100),))
    pipeline = add_project("MCEE-2026-004", status=ProjectStatus.PIPELINE, shares=(("XE", 100),),
                           title_en="PIPELINE-TITLE", funding=((2022, "70000", "0"),))
    return {"active": active, "closed": closed, "cancelled": cancelled, "pipeline": pipeline, "cases": cases,
            "procedures": procedures}


def parse(xml: bytes):
    return etree.fromstring(xml)


def activity_of(root, reference):
    found = root.xpath("iati-activity[iati-identifier=$id]", id=f"{ORG}-{reference}")
    assert len(found) == 1, f"{reference} not published once"
    return found[0]


def narratives(element):
    return {n.get(XML_LANG): n.text for n in element.findall("narrative")}


# --- the file ---------------------------------------------------------------------------------------------


def test_the_schema_is_the_repository_s_copy_of_iati_2_03():
    assert SCHEMA.is_relative_to(Path(iati.__file__).resolve().parent)
    assert etree.parse(str(SCHEMA)).getroot().get("version") == "2.03"
    for name in ("iati-common.xsd", "xml.xsd"):
        assert (SCHEMA.parent / name).is_file()


def test_the_file_validates_against_the_iati_2_03_schema(settings, portfolio):
    publish(settings, fields=ALL_FIELDS)
    export = iati_export()
    assert export.ok, export.problems
    document = parse(export.xml)
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    assert schema.validate(document), schema.error_log
    assert document.get("version") == "2.03"
    # Active and closed are published; cancelled (not an allowed status) and the pipeline are not.
    identifiers = document.xpath("iati-activity/iati-identifier/text()")
    assert identifiers == [f"{ORG}-MCEE-2022-001", f"{ORG}-MCEE-2022-002"]


def test_the_schema_rejects_what_it_should(settings, portfolio):
    """The validation is real: the same file without its reporting organisation does not validate."""
    publish(settings)
    document = parse(iati_export().xml)
    for element in document.iter("reporting-org"):
        element.getparent().remove(element)
    assert not iati_schema().validate(document)


def test_an_activity_holds_identifier_organisations_status_dates_countries_and_sector(settings, portfolio):
    publish(settings, fields=ALL_FIELDS)
    root = parse(iati_export().xml)
    a = activity_of(root, "MCEE-2022-001")
    assert a.get("default-currency") == "CAD"
    reporting = a.find("reporting-org")
    assert (reporting.get("ref"), reporting.get("type")) == (ORG, "10")
    assert narratives(reporting) == {"en": "Immigration, Refugees and Citizenship Canada",
                                     "fr": "Immigration, Réfugiés et Citoyenneté Canada"}
    assert narratives(a.find("title")) == {"en": "Border data system", "fr": "Système de données frontalières"}
    assert narratives(a.find("description")) == {"en": "SUMMARY-EN of the border data system.",
                                                 "fr": "RÉSUMÉ-FR du système de données."}
    roles = {(o.get("role"), o.get("ref")) for o in a.findall("participating-org")}
    assert roles == {("1", ORG), ("4", "XM-TEST-47066")}
    implementing = a.xpath("participating-org[@role='4']")[0]
    assert implementing.get("type") == "40"
    assert narratives(implementing) == {"en": "Fictional Migration Agency", "fr": "Agence fictive des migrations"}
    assert a.find("activity-status").get("code") == "2"
    assert activity_of(root, "MCEE-2022-002").find("activity-status").get("code") == "4"
    dates = {d.get("type"): d.get("iso-date") for d in a.findall("activity-date")}
    assert dates == {"1": "2022-04-01", "2": "2022-05-02", "3": "2025-03-31"}  # no actual end yet
    assert [(c.get("code"), c.get("percentage")) for c in a.findall("recipient-country")] == [("XA", "60"),
                                                                                            ("XB", "40")]
    sector = a.find("sector")
    assert (sector.get("vocabulary"), sector.get("code"), sector.get("percentage")) == ("1", "15190", "100")


def test_budgets_are_per_fiscal_year_and_transactions_are_the_disbursements(settings, portfolio):
    publish(settings)
    a = activity_of(parse(iati_export().xml), "MCEE-2022-001")
    budgets = [(b.find("period-start").get("iso-date"), b.find("period-end").get("iso-date"),
                b.find("value").text, b.find("value").get("currency"), b.find("value").get("value-date"))
               for b in a.findall("budget")]
    assert budgets == [("2022-04-01", "2023-03-31", "100000.00", "CAD", "2022-04-01"),
                       ("2023-04-01", "2024-03-31", "150000.00", "CAD", "2023-04-01"),
                       ("2024-04-01", "2025-03-31", "50000.00", "CAD", "2024-04-01")]
    transactions = [(t.find("transaction-type").get("code"), t.find("transaction-date").get("iso-date"),
                     t.find("value").text, t.find("receiver-org").get("ref"), t.find("provider-org").get("ref"))
                    for t in a.findall("transaction")]
    # 2023-24 disbursed nothing: no transaction for it.
    assert transactions == [("3", "2023-03-31", "90000.00", "XM-TEST-47066", ORG),
                            ("3", "2025-03-31", "50000.00", "XM-TEST-47066", ORG)]


def test_a_disbursement_in_the_running_fiscal_year_is_dated_today(settings, portfolio):
    today = timezone.localdate()
    year = FiscalYear.of(today)
    project = add_project("MCEE-NOW-005", shares=(("XA", 100),), planned_start=year.start, planned_end=year.end,
                          funding=((year.start_year, "1000", "400"),))
    publish(settings, projects=[project.reference])
    t = activity_of(parse(iati_export().xml), "MCEE-NOW-005").find("transaction")
    assert t.find("transaction-date").get("iso-date") == min(today, year.end).isoformat()


def test_results_carry_indicators_baselines_targets_and_actuals(settings, portfolio):
    publish(settings, fields=ALL_FIELDS)
    a = activity_of(parse(iati_export().xml), "MCEE-2022-001")
    quantitative, qualitative = a.xpath("result/indicator")
    assert (quantitative.get("measure"), quantitative.get("ascending")) == ("1", "1")
    assert narratives(quantitative.find("title")) == {"en": "Cases supported", "fr": "Cases supported (fr)"}
    baseline = quantitative.find("baseline")
    assert (baseline.get("year"), baseline.get("iso-date"), baseline.get("value")) == ("2022", "2022-04-01", "10")
    periods = [(p.find("period-start").get("iso-date"), p.find("target").get("value"), p.find("actual").get("value"))
               for p in quantitative.findall("period")]
    assert periods == [("2022-04-01", "30", "25"), ("2023-04-01", "40", "45")]
    assert qualitative.get("measure") == "5"
    assert qualitative.find("baseline") is None
    actual = qualitative.find("period/actual")
    assert actual.get("value") is None
    assert actual.findtext("comment/narrative") == "Two procedures adopted by the ministry."


# --- what the setting publishes ---------------------------------------------------------------------------


def test_by_default_nothing_is_published_and_no_file_is_made(portfolio, tmp_path):
    export = iati_export()
    assert export.xml is None
    assert [p.field for p in export.problems] == ["projects published"]
    with pytest.raises(IatiCheckFailed):
        write_iati_file(tmp_path / "out.xml")
    assert list(tmp_path.iterdir()) == []


def test_the_default_fields_leave_out_summaries_and_results(settings, portfolio):
    publish(settings)  # every project, default fields
    xml = iati_export().xml.decode()
    assert "SUMMARY-EN" not in xml and "RÉSUMÉ-FR" not in xml
    assert "<result" not in xml and "Cases supported" not in xml and "procedures adopted" not in xml.lower()
    assert "<budget" in xml and "<transaction>" in xml
    a = activity_of(parse(xml.encode()), "MCEE-2022-001")
    assert narratives(a.find("description"))["en"].startswith("A capacity-building project funded by Canada")
    assert "Fictional Migration Agency" in narratives(a.find("description"))["en"]
    assert "Agence fictive des migrations" in narratives(a.find("description"))["fr"]


def test_fields_left_out_are_absent(settings, portfolio):
    publish(settings, fields=["results"])
    xml = iati_export().xml.decode()
    assert "<budget" not in xml and "<transaction" not in xml and "<result" in xml


def test_pipeline_projects_are_never_published(settings, portfolio):
    publish(settings, fields=ALL_FIELDS)
    assert "PIPELINE-TITLE" not in iati_export().xml.decode()
    publish(settings, projects=["MCEE-2026-004"])
    export = iati_export()
    assert export.xml is None and [p.field for p in export.problems] == ["projects published"]
    publish(settings, STATUSES=["active", "pipeline"])
    with pytest.raises(ImproperlyConfigured, match="pipeline"):
        iati_export()


def test_only_opted_in_projects_of_allowed_statuses_are_published(settings, portfolio):
    publish(settings, projects=["MCEE-2022-002", "MCEE-2022-003"])
    root = parse(iati_export().xml)
    assert root.xpath("iati-activity/iati-identifier/text()") == [f"{ORG}-MCEE-2022-002"]
    publish(settings, projects=["MCEE-2022-003"], STATUSES=["cancelled"])
    root = parse(iati_export().xml)
    assert root.xpath("iati-activity/activity-status/@code") == ["5"]


def test_a_mistaken_setting_is_refused_not_widened(settings):
    publish(settings, fields=["budgets", "key_messages"])
    with pytest.raises(ImproperlyConfigured, match="key_messages"):
        iati_config()
    publish(settings, STATUSES=["active", "paused"])
    with pytest.raises(ImproperlyConfigured, match="paused"):
        iati_config()


def test_sensitive_records_never_reach_the_file(settings, portfolio):
    """Country categories and their rationale, key messages: never published, whatever the fields."""
    xa = CountryFactory(code="XA")
    ClassificationFactory(country=xa, category=Category.RECALCITRANT, rationale="RATIONALE-SECRET")
    KeyMessage.objects.create(project=portfolio["active"], country=xa, text_en="KEYMSG-SECRET",
                              text_fr="MESSAGE-SECRET", status=KeyMessageStatus.APPROVED, approved_at=timezone.now())
    publish(settings, fields=ALL_FIELDS)
    xml = iati_export().xml.decode()
    for secret in ("RATIONALE-SECRET", "KEYMSG-SECRET", "MESSAGE-SECRET", "recalcitrant", "Recalcitrant"):
        assert secret not in xml


def test_the_file_carries_the_security_marking_as_a_comment(settings, portfolio):
    publish(settings)
    settings.MCEE_SECURITY_MARKING = {"en": "PROTECTED B", "fr": "PROTÉGÉ B"}
    xml = iati_export().xml.decode()
    assert "<!-- PROTECTED B / PROTÉGÉ B -->" in xml.split("<iati-activities", 1)[0]
    publish(settings, MARKING_EN="UNCLASSIFIED", MARKING_FR="NON CLASSIFIÉ")
    assert "<!-- UNCLASSIFIED / NON CLASSIFIÉ -->" in iati_export().xml.decode()


# --- pre-export checks: each names the project and the field; nothing is written ----------------------------


def _break_shares(p):
    ProjectCountry.objects.filter(project=p["active"], country__code="XB").update(share=30)


def _no_country(p):
    ProjectCountry.objects.filter(project=p["active"]).delete()


def _no_french_title(p):
    Project.objects.filter(pk=p["active"].pk).update(title_fr="")


def _future_actual_start(p):
    Project.objects.filter(pk=p["active"].pk).update(actual_start=timezone.localdate() + dt.timedelta(days=3))


def _funding_outside_the_project(p):
    FundingLine.objects.create(project=p["active"], fiscal_year=2027, planned=Decimal("5000"))


def _disbursed_before_the_year_begins(p):
    year = FiscalYear.of(timezone.localdate()).start_year + 2
    Project.objects.filter(pk=p["active"].pk).update(planned_end=FiscalYear(year).end)
    FundingLine.objects.create(project=p["active"], fiscal_year=year, planned=Decimal("5000"),
                               disbursed=Decimal("700"))


def _actual_described_without_value(p):
    IndicatorPeriod.objects.create(indicator=p["cases"], period_start=D(2024, 4, 1), period_end=D(2025, 3, 31),
                                   actual_text="About fifty cases.")


def _value_on_qualitative(p):
    IndicatorPeriod.objects.create(indicator=p["procedures"], period_start=D(2024, 4, 1), period_end=D(2025, 3, 31),
                                   actual_value=Decimal("3"))


def _reference_with_a_space(p):
    Project.objects.filter(pk=p["active"].pk).update(reference="MCEE 2022 001")


CHECKS = [
    (_break_shares, "MCEE-2022-001", "countries (shares)", "add up to 90 %, not 100 % (XA 60 %, XB 30 %)"),
    (_no_country, "MCEE-2022-001", "countries", "has no country"),
    (_no_french_title, "MCEE-2022-001", "title", "The title in French is empty"),
    (_future_actual_start, "MCEE-2022-001", "actual start", "is in the future"),
    (_funding_outside_the_project, "MCEE-2022-001", "funding by fiscal year",
     "planned for 2027-28, outside the project's fiscal years (2022-23 to 2024-25)"),
    (_disbursed_before_the_year_begins, "MCEE-2022-001", "funding by fiscal year", "which has not begun"),
    (_actual_described_without_value, "MCEE-2022-001", "indicator “Cases supported”",
     "has a description of what was achieved but no value"),
    (_value_on_qualitative, "MCEE-2022-001", "indicator “Procedures adopted”",
     "A qualitative indicator is described, not counted"),
    (_reference_with_a_space, "MCEE 2022 001", "reference", "holds a space"),
]


@pytest.mark.parametrize(("spoil", "reference", "field", "message"), CHECKS, ids=[c[0].__name__ for c in CHECKS])
def test_a_failed_check_names_project_and_field_and_writes_nothing(settings, portfolio, tmp_path, spoil, reference,
                                                                   field, message):
    publish(settings, fields=ALL_FIELDS)
    spoil(portfolio)
    export = iati_export()
    assert export.xml is None
    matching = [p for p in export.problems if p.reference == reference and p.field == field]
    assert matching and message in matching[0].message, export.problems
    assert str(matching[0]).startswith(f"{reference} · {field}: ")
    out = tmp_path / "mcee-activities.xml"
    with pytest.raises(IatiCheckFailed) as failed:
        write_iati_file(out)
    assert matching[0] in failed.value.problems
    assert list(tmp_path.iterdir()) == []  # no file, no temporary file


def test_summaries_in_both_languages_are_needed_once_published(settings, portfolio):
    Project.objects.filter(pk=portfolio["active"].pk).update(summary_fr="")
    publish(settings)  # summaries not published: the standard sentence stands in, no problem
    assert iati_export().ok
    publish(settings, fields=ALL_FIELDS)
    problems = iati_export().problems
    assert [(p.reference, p.field) for p in problems] == [("MCEE-2022-001", "summary")]
    assert "The summary in French is empty" in problems[0].message


def test_the_setting_s_own_problems_are_named(settings, portfolio):
    publish(settings, projects=["MCEE-2022-001", "MCEE-2099-404"], REPORTING_ORG_REF="")
    problems = iati_export().problems
    assert [(p.reference, p.field) for p in problems] == [("", "reporting organisation"),
                                                          ("MCEE-2099-404", "publication setting")]
    assert "MCEE_IATI_REPORTING_ORG_REF" in problems[0].message


def test_a_budget_period_longer_than_a_year_is_refused(settings, portfolio, tmp_path, monkeypatch):
    """Budgets come from fiscal years, which never run over a year; the check still guards the rule."""
    publish(settings)
    publication = iati_publication()
    active = publication.activities[0]
    long = Budget(fiscal_year=FiscalYear(2022), period_start=D(2022, 4, 1), period_end=D(2024, 3, 31),
                  value=Decimal("1000"))
    spoiled = dataclasses.replace(publication, activities=(dataclasses.replace(active, budgets=(long,)),))
    problems = iati_problems(spoiled)
    assert [(p.reference, p.field) for p in problems] == [("MCEE-2022-001", "funding by fiscal year")]
    assert "a budget period lasts at most a year" in problems[0].message
    monkeypatch.setattr(iati, "iati_publication", lambda **kwargs: spoiled)
    with pytest.raises(IatiCheckFailed):
        write_iati_file(tmp_path / "out.xml")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_export_leaves_the_previous_file_as_it_was(settings, portfolio, tmp_path):
    out = tmp_path / "mcee-activities.xml"
    out.write_bytes(b"previous publication")
    publish(settings)
    _break_shares(portfolio)
    with pytest.raises(IatiCheckFailed):
        write_iati_file(out)
    assert out.read_bytes() == b"previous publication"
    assert [f.name for f in tmp_path.iterdir()] == ["mcee-activities.xml"]


def test_problems_are_said_in_french(settings, portfolio):
    from django.utils import translation

    publish(settings)
    _break_shares(portfolio)
    with translation.override("fr"):
        problem = iati_export().problems[0]
        text = str(problem)
    assert problem.reference == "MCEE-2022-001"
    assert "100 %" in text and "add up" not in text and text != str(iati_export().problems[0])


# --- the command -----------------------------------------------------------------------------------------


def test_the_command_writes_a_valid_file_in_one_step(settings, portfolio, tmp_path, capsys):
    publish(settings, fields=ALL_FIELDS)
    out = tmp_path / "mcee-activities.xml"
    call_command("export_iati", out=str(out))
    assert "2 activities written to" in capsys.readouterr().out
    assert iati_schema().validate(etree.parse(str(out)))
    assert [f.name for f in tmp_path.iterdir()] == ["mcee-activities.xml"]  # the temporary file was renamed


def test_the_command_check_lists_problems_and_writes_nothing(settings, portfolio, tmp_path, capsys):
    publish(settings)
    call_command("export_iati", check=True)
    assert "2 activities are ready to publish" in capsys.readouterr().out
    _break_shares(portfolio)
    _no_french_title(portfolio)
    with pytest.raises(CommandError, match="2 problems stop"):
        call_command("export_iati", check=True)
    err = capsys.readouterr().err
    assert "MCEE-2022-001 · countries (shares): " in err and "MCEE-2022-001 · title: " in err
    out = tmp_path / "mcee-activities.xml"
    with pytest.raises(CommandError, match="was not written"):
        call_command("export_iati", out=str(out))
    assert "countries (shares)" in capsys.readouterr().err
    assert not out.exists()


def test_the_command_needs_out_or_check():
    with pytest.raises(CommandError, match="--out"):
        call_command("export_iati")


# --- the admin -------------------------------------------------------------------------------------------


def test_mcet_downloads_the_file(client, settings, portfolio):
    publish(settings, fields=ALL_FIELDS)
    client.force_login(user_in_role("mcet_staff", "iati-staff"))
    page = client.get(reverse("projects_iati_export"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "2 activities are ready to publish" in html and reverse("projects_iati_download") in html
    assert "PROTECTED B" in html  # the security marking
    response = client.get(reverse("projects_iati_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="mcee-iati-activities-')
    document = parse(response.content)
    assert iati_schema().validate(document)
    assert document.xpath("iati-activity/iati-identifier/text()") == [f"{ORG}-MCEE-2022-001", f"{ORG}-MCEE-2022-002"]


def test_the_admin_shows_the_problems_in_the_reader_s_language_and_no_file(client, settings, portfolio):
    publish(settings)
    _break_shares(portfolio)
    user = user_in_role("mcet_admin", "iati-admin")
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "fr"
    profile.save()
    client.force_login(user)
    response = client.get(reverse("projects_iati_download"))
    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "MCEE-2022-001" in html and "PROTÉGÉ B" in html
    assert "add up to" not in html  # in French
    assert reverse("projects_iati_download") not in html  # no download offered


@pytest.mark.parametrize("role", ["rwg_member", "auditor", "officer_cbsa"])
def test_other_roles_are_refused(client, settings, portfolio, role):
    publish(settings)
    client.force_login(user_in_role(role, f"iati-{role}"))
    page = client.get(reverse("projects_iati_export"))
    assert page.status_code == 403 and "PROTECTED B" in page.content.decode()
    download = client.get(reverse("projects_iati_download"))
    assert download.status_code == 403 and download["Content-Type"].startswith("text/html")
    assert reverse("projects_iati_export") not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_a_partner_reporter_is_refused(client, settings, portfolio):
    publish(settings)
    client.force_login(reporter(portfolio["active"].partner))
    assert client.get(reverse("projects_iati_download")).status_code == 403


def test_the_menu_offers_it_to_mcet(client, portfolio):
    client.force_login(user_in_role("mcet_staff", "iati-menu"))
    assert reverse("projects_iati_export") in client.get(reverse("wagtailadmin_home")).content.decode()


def _queries(callable_):
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured.captured_queries)


def test_the_export_s_queries_do_not_grow_with_projects(client, settings, portfolio, django_assert_max_num_queries):
    publish(settings, fields=ALL_FIELDS)
    client.force_login(user_in_role("mcet_staff", "iati-queries"))
    download = reverse("projects_iati_download")
    client.get(download)  # warm caches (permissions, content types)
    few = _queries(lambda: client.get(download))
    for n in range(6):
        project = add_project(f"MCEE-2023-1{n:02d}", funding=((2023, "1000", "500"), (2024, "1000", "0")))
        more = indicator(project, name=f"Indicator {n}")
        period(more, D(2023, 4, 1), D(2024, 3, 31), target=5, actual=4)
    with django_assert_max_num_queries(few):
        response = client.get(download)
    assert response.status_code == 200 and len(parse(response.content)) == 8
    assert _queries(lambda: iati_export()) <= 8
