"""A fictional MCEE portfolio on the scale of the real one, for demonstrations and training.

Countries are fictional (ISO 3166 user-assigned codes), so no real country is ever shown as
recalcitrant. Partners are the kinds of organisation the MCEE funds. Thirteen projects share the
C$21M envelope over 2019-20 to 2024-25, and their priority areas reproduce the evaluation's Table 1.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.db import transaction

from countries.models import Category
from countries.services import country_classify, country_get_or_create
from mcee.fiscal import fiscal_years_spanned
from projects.models import Partner, PriorityArea, Project, ProjectStatus
from projects.services import CountryShare, project_save

PARTNERS = [
    # acronym, acronym_fr, English name, French name, IATI type, IATI ref
    ("IOM", "OIM", "International Organization for Migration", "Organisation internationale pour les migrations",
     "40", "XM-DAC-47066"),
    ("UNHCR", "HCR", "United Nations High Commissioner for Refugees", "Haut Commissariat des Nations Unies pour "
     "les réfugiés", "40", "XM-DAC-41121"),
    ("UNODC", "ONUDC", "United Nations Office on Drugs and Crime", "Office des Nations Unies contre la drogue et "
     "le crime", "40", "XM-DAC-41114"),
    ("ARK", "ARK", "ARK Group DMCC", "ARK Group DMCC", "70", ""),
]

CLASSIFICATIONS = [
    # country, category, effective date, rationale
    ("XA", Category.RECALCITRANT, "2019-04-01", "Selected by the RWG: travel documents rarely issued within 90 days."),
    ("XB", Category.RECALCITRANT, "2019-04-01", "Selected by the RWG: interviews required for every request."),
    ("XC", Category.RECALCITRANT, "2019-04-01", "Selected by the RWG: large removals inventory, low issuance."),
    ("XD", Category.RECALCITRANT, "2020-06-15", "Issuance stopped after a change of consular practice."),
    ("XE", Category.PREVENTIVE, "2019-04-01", "High asylum claims and rising three-year trend."),
    ("XE", Category.RECALCITRANT, "2023-01-15", "Cooperation deteriorated: requests unanswered for 12 months."),
    ("XF", Category.PREVENTIVE, "2019-04-01", "Top-ten asylum claims with a high IRB rejection rate."),
    ("XG", Category.PREVENTIVE, "2019-04-01", "Rising claims; cooperation good but at risk."),
    ("XH", Category.PREVENTIVE, "2020-04-01", "Claims doubled over three years."),
    ("XJ", Category.AT_RISK, "2022-04-01", "Delays growing; watched by the operational level."),
    ("XK", Category.NOT_TARGETED, "2019-04-01", "Cooperative; listed for comparison."),
]

A = ["national-policy", "regular-migration", "border-management", "irregular-migration", "other-priorities",
     "identity-management", "voluntary-return"]


@dataclass(frozen=True)
class DemoProject:
    reference: str
    partner: str
    title_en: str
    title_fr: str
    amount: int
    start: str
    end: str
    countries: tuple[tuple[str, int], ...]
    areas: tuple[int, ...]
    status: str = ProjectStatus.CLOSED


PROJECTS = [
    DemoProject("MCEE-2019-001", "IOM", "Border management information system", "Système d’information sur la "
                "gestion des frontières", 2_900_000, "2019-06-01", "2022-05-31", (("XA", 100),), (0, 1, 2)),
    DemoProject("MCEE-2019-002", "UNHCR", "Asylum registration capacity", "Capacité d’enregistrement des demandes "
                "d’asile", 2_500_000, "2019-09-01", "2022-08-31", (("XF", 60), ("XG", 40)), (0, 1, 3)),
    DemoProject("MCEE-2019-003", "IOM", "Civil registry and identity documents", "État civil et pièces d’identité",
                2_400_000, "2019-10-01", "2022-09-30", (("XB", 100),), (0, 1, 2, 5)),
    DemoProject("MCEE-2020-004", "UNODC", "Countering migrant smuggling networks", "Lutte contre les réseaux de "
                "trafic de migrants", 2_200_000, "2020-04-01", "2023-03-31", (("XC", 50), ("XD", 50)), (0, 1, 3)),
    DemoProject("MCEE-2020-005", "IOM", "Integrated border posts", "Postes frontaliers intégrés", 2_000_000,
                "2020-07-01", "2023-06-30", (("XE", 100),), (0, 1, 2)),
    DemoProject("MCEE-2020-006", "UNHCR", "Refugee status determination procedures", "Procédures de détermination "
                "du statut de réfugié", 1_900_000, "2020-10-01", "2023-09-30", (("XH", 100),), (0, 1, 3)),
    DemoProject("MCEE-2021-007", "ARK", "Migration policy advisory unit", "Cellule de conseil en politique "
                "migratoire", 1_800_000, "2021-04-01", "2024-03-31", (("XA", 70), ("XB", 30)), (0, 2, 4)),
    DemoProject("MCEE-2021-008", "UNODC", "Prosecution of trafficking cases", "Poursuite des affaires de traite",
                1_700_000, "2021-07-01", "2024-06-30", (("XD", 100),), (0, 3)),
    DemoProject("MCEE-2021-009", "IOM", "Labour migration pathways", "Voies de migration de main-d’œuvre",
                1_500_000, "2021-10-01", "2024-09-30", (("XG", 100),), (0, 2, 4), ProjectStatus.FINALISATION),
    DemoProject("MCEE-2022-010", "UNHCR", "Consular capacity for document issuance", "Capacité consulaire de "
                "délivrance de documents", 1_200_000, "2022-04-01", "2025-03-31", (("XC", 100),), (0, 3),
                ProjectStatus.FINALISATION),
    DemoProject("MCEE-2022-011", "IOM", "Study visit: immigration intelligence", "Visite d’étude : renseignement "
                "en immigration", 480_000, "2022-07-01", "2024-12-31", (("XJ", 100),), (1, 2, 4)),
    DemoProject("MCEE-2023-012", "UNODC", "Workshops on document fraud", "Ateliers sur la fraude documentaire",
                240_000, "2023-04-01", "2025-03-31", (("XF", 100),), (1, 3, 4)),
    DemoProject("MCEE-2023-013", "IOM", "Information campaign on irregular migration", "Campagne d’information sur "
                "la migration irrégulière", 180_000, "2023-07-01", "2025-03-31", (("XE", 50), ("XH", 50)),
                (1, 2, 3)),
]


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _funding_by_year(amount: Decimal, start: dt.date, end: dt.date) -> dict[int, tuple[Decimal, Decimal]]:
    """Spread an amount over the fiscal years a project spans, fully disbursed; cents go to the last year."""
    years = fiscal_years_spanned(start, end)
    share = (amount / len(years)).quantize(Decimal("1"), ROUND_DOWN)
    funding = {fy.start_year: (share, share) for fy in years}
    last = years[-1].start_year
    rest = amount - share * (len(years) - 1)
    funding[last] = (rest, rest)
    return funding


@transaction.atomic
def load_demo_portfolio() -> dict[str, int]:
    for acronym, acronym_fr, name_en, name_fr, org_type, iati_ref in PARTNERS:
        Partner.objects.update_or_create(
            acronym=acronym, defaults={"acronym_fr": acronym_fr if acronym_fr != acronym else "",
                                       "name_en": name_en, "name_fr": name_fr, "organisation_type": org_type,
                                       "iati_ref": iati_ref})
    countries = {}
    for code, category, effective, rationale in CLASSIFICATIONS:
        country = countries.setdefault(code, country_get_or_create(code=code))
        if not country.classifications.filter(effective_date=_date(effective)).exists():
            country_classify(country=country, category=category, effective_date=_date(effective),
                             rationale=rationale)
    areas = {a.code: a for a in PriorityArea.objects.all()}
    partners = {p.acronym: p for p in Partner.objects.all()}
    for spec in PROJECTS:
        project = Project.objects.filter(reference=spec.reference).first() or Project(reference=spec.reference)
        project.title_en, project.title_fr = spec.title_en, spec.title_fr
        project.summary_en = f"Fictional demonstration project: {spec.title_en.lower()}."
        project.summary_fr = f"Projet de démonstration fictif : {spec.title_fr[0].lower()}{spec.title_fr[1:]}."
        project.partner = partners[spec.partner]
        project.status = spec.status
        project.approved_amount = Decimal(spec.amount)
        project.planned_start, project.planned_end = _date(spec.start), _date(spec.end)
        project.actual_start = project.planned_start
        project.actual_end = project.planned_end if spec.status == ProjectStatus.CLOSED else None
        project_save(
            project=project,
            shares=[CountryShare(countries[code], Decimal(share)) for code, share in spec.countries],
            priority_areas=[areas[A[i]] for i in spec.areas],
            funding=_funding_by_year(Decimal(spec.amount), project.planned_start, project.planned_end),
        )
    return {"partners": len(PARTNERS), "countries": len(countries), "projects": len(PROJECTS)}
