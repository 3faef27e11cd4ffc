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


def _indicators(baseline_days: int, target_days: int) -> list[dict]:
    return [
        {"name_en": "Median days from request to travel document", "name_fr": "Nombre médian de jours entre la "
         "demande et le document de voyage", "unit": "days", "baseline_value": Decimal(baseline_days),
         "baseline_date": dt.date(2019, 3, 31), "target_value": Decimal(target_days),
         "target_date": dt.date(2025, 3, 31)},
        {"name_en": "Share of requests answered within 60 days", "name_fr": "Proportion des demandes traitées en "
         "60 jours", "unit": "%", "baseline_value": Decimal("20"), "baseline_date": dt.date(2019, 3, 31),
         "target_value": Decimal("75"), "target_date": dt.date(2025, 3, 31)},
    ]


@transaction.atomic
def load_demo_rwg() -> dict[str, int]:
    """Fictional RWG history: meetings, a classification by decision, plan versions, escalation."""
    from countries.models import Country
    from engagements import services as rwg
    from engagements.models import EscalationLevel, MeetingLevel, RWGMeeting

    if RWGMeeting.objects.exists():
        return {"meetings": RWGMeeting.objects.count()}
    country = {c.code.code: c for c in Country.objects.all()}
    projects = {p.reference: p for p in Project.objects.all()}
    m2019 = RWGMeeting.objects.create(date=dt.date(2019, 6, 12), level=MeetingLevel.ADM,
                                      notes="First meeting on the MCEE target countries.")
    m2021 = RWGMeeting.objects.create(date=dt.date(2021, 6, 9), level=MeetingLevel.ADM, notes="Annual review.")
    m2023 = RWGMeeting.objects.create(date=dt.date(2023, 1, 11), level=MeetingLevel.ADM,
                                      notes="XE cooperation deteriorated.")
    m2024 = RWGMeeting.objects.create(date=dt.date(2024, 10, 16), level=MeetingLevel.ADM, notes="Escalation review.")
    RWGMeeting.objects.create(date=dt.date(2024, 9, 25), level=MeetingLevel.DG, notes="Steering committee.")
    RWGMeeting.objects.create(date=dt.date(2024, 9, 4), level=MeetingLevel.OPERATIONAL,
                              notes="Operational review of travel-document requests.")

    xa_v1 = rwg.plan_create(country=country["XA"], plan_type="rrep",
                            objectives_en="Travel documents issued within 60 days for every request.",
                            objectives_fr="Documents de voyage délivrés en 60 jours pour toute demande.",
                            negative_levers="Limit invitations to study visits; firmer messages at ministerial level.",
                            incentive_projects=[projects["MCEE-2019-001"]], indicators=_indicators(180, 60))
    rwg.rwg_approve_plan(meeting=m2019, plan=xa_v1, summary="First RREP for XA approved.")
    xa_v2 = rwg.plan_revise(plan=xa_v1)
    xa_v2.incentive_projects.add(projects["MCEE-2021-007"])
    xa_v2.save()
    rwg.rwg_approve_plan(meeting=m2021, plan=xa_v2, summary="RREP revised to count on the advisory unit.")
    xf = rwg.plan_create(country=country["XF"], plan_type="preventive",
                         objectives_en="Keep travel-document issuance under 30 days as claims rise.",
                         objectives_fr="Maintenir la délivrance des documents de voyage sous 30 jours.",
                         incentive_projects=[projects["MCEE-2019-002"]], indicators=_indicators(35, 30))
    rwg.rwg_approve_plan(meeting=m2021, plan=xf, summary="First preventive plan, for XF.")

    rwg.rwg_decide_classification(meeting=m2023, country=country["XE"], category=Category.RECALCITRANT,
                                  effective_date=dt.date(2023, 1, 15),
                                  rationale="Cooperation deteriorated: requests unanswered for 12 months.",
                                  summary="XE moves from preventive to recalcitrant.")
    for code, steps in {"XA": [(1, "2019-06-12"), (2, "2021-06-09"), (3, "2024-10-16")],
                        "XB": [(1, "2019-06-12")], "XC": [(1, "2019-06-12"), (4, "2024-10-16")]}.items():
        for level, effective in steps:
            meeting = {"2019-06-12": m2019, "2021-06-09": m2021, "2024-10-16": m2024}[effective]
            rwg.rwg_decide_escalation(meeting=meeting, country=country[code], level=level,
                                      effective_date=dt.date.fromisoformat(effective),
                                      rationale="Fictional demonstration rationale.")
    rwg.rwg_decide_escalation(meeting=m2024, country=country["XD"], level=EscalationLevel.VISA_MEASURES,
                              effective_date=dt.date(2024, 11, 1), cabinet_approval_date=dt.date(2024, 10, 30),
                              cabinet_approval_reference="CAB-DEMO-2024-01",
                              rationale="Fictional: no travel document issued in two years.")
    rwg.rwg_note_progress(meeting=m2024, country=country["XB"], summary="Interviews resumed at the mission.")
    return {"meetings": RWGMeeting.objects.count()}


def load_demo_asylum() -> dict[str, int]:
    """The fictional asylum statistics of docs/examples, through the same import a user runs."""
    from django.conf import settings

    from countries.imports import asylum_import
    from countries.models import AsylumStatistic

    if not AsylumStatistic.objects.exists():
        asylum_import(path=settings.BASE_DIR / "docs" / "examples" / "asylum.csv")
    return {"asylum_rows": AsylumStatistic.objects.count()}
