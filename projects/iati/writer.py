"""The IATI 2.03 XML of a publication, with lxml: one small function per element, in the schema's order.

The writer only writes what the selector gathered (and the setting allowed); it decides nothing about
what is published. Narratives are written in English and French, each with its ``xml:lang``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext
from lxml import etree

from .selectors import Activity, Budget, Disbursement, IndicatorData, Organisation, Period, Publication, ResultData

IATI_VERSION = "2.03"
CURRENCY = "CAD"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA = Path(__file__).resolve().parent / "schema" / "iati-activities-schema.xsd"
# Sector 15190: Facilitation of orderly, safe, regular and responsible migration and mobility (OECD DAC
# purpose codes, vocabulary 1).
SECTOR_CODE, SECTOR_VOCABULARY = "15190", "1"
FUNDING, IMPLEMENTING = "1", "4"  # IATI OrganisationRole
FINANCE_TYPE_GRANT = "110"  # standard grant (Vote 10 grants)
AID_TYPE_PROJECT = "C01"  # project-type interventions
DISBURSEMENT = "3"  # IATI TransactionType
BUDGET_ORIGINAL, BUDGET_COMMITTED = "1", "2"  # IATI BudgetType, BudgetStatus
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"  # IATI ActivityDateType
MEASURE_UNIT, MEASURE_QUALITATIVE = "1", "5"  # IATI IndicatorMeasure
DESCRIPTION_GENERAL = "1"


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _date(day: dt.date) -> str:
    return day.isoformat()


def _datetime(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def narratives(parent, en: str, fr: str):
    """English and French narratives; an empty one is left out (the checks say so first)."""
    for language, text in (("en", en), ("fr", fr)):
        if text:
            etree.SubElement(parent, "narrative", {XML_LANG: language}).text = text
    return parent


def org(parent, tag: str, organisation: Organisation, **attributes):
    attrs = {}
    if organisation.ref:
        attrs["ref"] = organisation.ref
    if organisation.type:
        attrs["type"] = organisation.type
    attrs.update(attributes)
    return narratives(etree.SubElement(parent, tag, attrs), organisation.name_en, organisation.name_fr)


def value(parent, amount: Decimal, value_date: dt.date):
    etree.SubElement(parent, "value", {"currency": CURRENCY, "value-date": _date(value_date)}).text = _money(amount)


def activity_dates(parent, a: Activity):
    for kind, day in ((PLANNED_START, a.planned_start), (ACTUAL_START, a.actual_start),
                      (PLANNED_END, a.planned_end), (ACTUAL_END, a.actual_end)):
        if day:
            etree.SubElement(parent, "activity-date", {"type": kind, "iso-date": _date(day)})


def recipient_countries(parent, a: Activity):
    for country in a.countries:
        etree.SubElement(parent, "recipient-country", {"code": country.code,
                                                       "percentage": _number(country.percentage)})


def sector(parent):
    etree.SubElement(parent, "sector", {"vocabulary": SECTOR_VOCABULARY, "code": SECTOR_CODE, "percentage": "100"})


def budget(parent, b: Budget):
    element = etree.SubElement(parent, "budget", {"type": BUDGET_ORIGINAL, "status": BUDGET_COMMITTED})
    etree.SubElement(element, "period-start", {"iso-date": _date(b.period_start)})
    etree.SubElement(element, "period-end", {"iso-date": _date(b.period_end)})
    value(element, b.value, b.period_start)


def transaction(parent, d: Disbursement, reporting_org: Organisation, partner: Organisation):
    element = etree.SubElement(parent, "transaction")
    etree.SubElement(element, "transaction-type", {"code": DISBURSEMENT})
    etree.SubElement(element, "transaction-date", {"iso-date": _date(d.date)})
    value(element, d.value, d.date)
    org(element, "provider-org", reporting_org)
    org(element, "receiver-org", partner)


def period(parent, p: Period, qualitative: bool):
    element = etree.SubElement(parent, "period")
    etree.SubElement(element, "period-start", {"iso-date": _date(p.start)})
    etree.SubElement(element, "period-end", {"iso-date": _date(p.end)})
    if p.target is not None and not qualitative:
        etree.SubElement(element, "target", {"value": _number(p.target)})
    if p.actual is not None or p.actual_text:
        actual = etree.SubElement(element, "actual", {} if qualitative or p.actual is None
                                  else {"value": _number(p.actual)})
        if p.actual_text:
            # What partners wrote is in one language, which the system does not record: no xml:lang.
            etree.SubElement(etree.SubElement(actual, "comment"), "narrative").text = p.actual_text


def unit_texts(unit: str) -> tuple[str, str]:
    texts = []
    for language in ("en", "fr"):
        with translation.override(language):
            texts.append(gettext("Unit: %(unit)s") % {"unit": unit})
    return texts[0], texts[1]


def indicator(parent, i: IndicatorData):
    element = etree.SubElement(parent, "indicator", {
        "measure": MEASURE_QUALITATIVE if i.qualitative else MEASURE_UNIT, "ascending": "1" if i.ascending else "0"})
    narratives(etree.SubElement(element, "title"), i.name_en, i.name_fr)
    if i.unit:
        narratives(etree.SubElement(element, "description"), *unit_texts(i.unit))
    if not i.qualitative and i.baseline_date is not None:
        etree.SubElement(element, "baseline", {"year": str(i.baseline_date.year),
                                               "iso-date": _date(i.baseline_date),
                                               "value": _number(i.baseline_value)})
    for p in i.periods:
        period(element, p, i.qualitative)


def result(parent, r: ResultData):
    element = etree.SubElement(parent, "result", {"type": r.type_code})
    narratives(etree.SubElement(element, "title"), r.title_en, r.title_fr)
    for i in r.indicators:
        indicator(element, i)


def activity(parent, a: Activity, publication: Publication):
    element = etree.SubElement(parent, "iati-activity", {
        "last-updated-datetime": _datetime(a.last_updated), XML_LANG: "en", "default-currency": CURRENCY})
    etree.SubElement(element, "iati-identifier").text = a.identifier
    org(element, "reporting-org", publication.reporting_org)
    narratives(etree.SubElement(element, "title"), a.title_en, a.title_fr)
    narratives(etree.SubElement(element, "description", {"type": DESCRIPTION_GENERAL}), a.description_en,
               a.description_fr)
    org(element, "participating-org", publication.reporting_org, role=FUNDING)
    org(element, "participating-org", a.partner, role=IMPLEMENTING)
    etree.SubElement(element, "activity-status", {"code": a.status_code})
    activity_dates(element, a)
    recipient_countries(element, a)
    sector(element)
    etree.SubElement(element, "default-finance-type", {"code": FINANCE_TYPE_GRANT})
    etree.SubElement(element, "default-aid-type", {"code": AID_TYPE_PROJECT})
    for b in a.budgets:
        budget(element, b)
    for d in a.disbursements:
        transaction(element, d, publication.reporting_org, a.partner)
    for r in a.results:
        result(element, r)


def iati_document(publication: Publication) -> etree._ElementTree:
    root = etree.Element("iati-activities", {"version": IATI_VERSION,
                                             "generated-datetime": _datetime(publication.generated_at)})
    config = publication.config
    marking = " / ".join(m for m in (config.marking_en, config.marking_fr) if m)
    if marking:
        # The security marking, as on every export; a comment, so IATI tools ignore it.
        root.addprevious(etree.Comment(f" {marking} "))
    for a in publication.activities:
        activity(root, a, publication)
    return etree.ElementTree(root)


def iati_xml(publication: Publication) -> bytes:
    return etree.tostring(iati_document(publication), xml_declaration=True, encoding="UTF-8", pretty_print=True)


@cache
def iati_schema() -> etree.XMLSchema:
    """The IATI 2.03 activity schema kept in the repository (``projects/iati/schema/``)."""
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def schema_errors(xml: bytes) -> list[str]:
    """What the schema finds wrong with the document, one line per error (empty when it validates)."""
    schema = iati_schema()
    document = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    if schema.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]
