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


# --- Travel documents (issue 5) -----------------------------------------------------------------------

# Country: (requests a month, share issued, typical days to issue in the 2024-25 case extracts).
# XD, under visa measures since late 2024, issues almost nothing.
TD_PROFILES = {
    "XA": (14, 0.55, 75), "XB": (9, 0.60, 70), "XC": (11, 0.45, 120), "XD": (6, 0.15, 240), "XE": (8, 0.70, 90),
    "XF": (12, 0.85, 28), "XG": (7, 0.90, 25), "XH": (5, 0.80, 35), "XJ": (4, 0.75, 60),
}


def load_demo_td() -> dict[str, int]:
    """Six fiscal years of fictional monthly figures (2019-20 to 2024-25) for the targeted countries, and
    case-level extracts for XA and XC in 2024-25, so that case level and monthly figures meet there.
    Deterministic: the same data every time. A few months are left out on purpose (data gaps)."""
    import random

    from countries.models import Country, TimelinessTarget, TravelDocumentCase, TravelDocumentMonth
    from countries.models.travel_documents import case_key

    if TravelDocumentMonth.objects.exists():
        return {"td_months": TravelDocumentMonth.objects.count(), "td_cases": TravelDocumentCase.objects.count()}
    rng = random.Random(20261122)  # noqa: S311 (fictional figures, not security)
    country = {c.code.code: c for c in Country.objects.filter(code__in=list(TD_PROFILES))}
    months, cases = [], []
    for code, (per_month, share, days_to) in TD_PROFILES.items():
        pending = per_month * 3
        TimelinessTarget.objects.get_or_create(country=country[code], defaults={"target_days": 60})
        for index in range(72):  # April 2019 to March 2025
            year, month = 2019 + (index + 3) // 12, (index + 3) % 12 + 1
            if code in ("XE", "XJ") and index % 17 == 5:
                continue  # a month without data: the completeness report shows it
            requested = max(0, per_month + rng.randint(-3, 3))
            issued = min(pending + requested, round(requested * share + rng.randint(-1, 1)))
            refused = min(requested - min(requested, issued), rng.randint(0, 2))
            pending = max(0, pending + requested - issued - refused)
            months.append(TravelDocumentMonth(
                country=country[code], month=dt.date(year, month, 1), requested=requested, issued=max(issued, 0),
                refused=refused, pending_end=pending, removals=max(0, issued - rng.randint(0, 2)),
                added_to_inventory=None if index % 11 == 3 else per_month + rng.randint(0, 4)))
        if code in ("XA", "XC"):
            span = (dt.date(2025, 3, 31) - dt.date(2024, 4, 1)).days
            for number in range(per_month * 12):
                requested_on = dt.date(2024, 4, 1) + dt.timedelta(days=rng.randint(0, span))
                roll = rng.random()
                outcome = "issued" if roll < share else "refused" if roll < share + 0.1 else "pending"
                days = max(3, round(rng.gauss(days_to, days_to / 3)))
                issued_on = requested_on + dt.timedelta(days=days) if outcome == "issued" else None
                if issued_on and issued_on > dt.date(2025, 3, 31):
                    outcome, issued_on = "pending", None
                cases.append(TravelDocumentCase(
                    country=country[code], case_key=case_key(f"DEMO-{code}-{number:05d}"), requested_on=requested_on,
                    issued_on=issued_on, outcome=outcome, document_type="emergency passport",
                    interview_required=code == "XB", priority="normal",
                    days_to_issue=(issued_on - requested_on).days if issued_on else None))
    TravelDocumentMonth.objects.bulk_create(months)
    TravelDocumentCase.objects.bulk_create(cases)
    return {"td_months": len(months), "td_cases": len(cases)}


# --- Engagements, key messages, responsibilities and dissemination (issue 6) -------------------------

KEY_MESSAGES = [
    # project, country, status, English, French
    ("MCEE-2019-001", "XA", "approved",
     "Canada's support helped XA's border service record every crossing electronically at its three main posts.",
     "Le soutien du Canada a aidé le service frontalier de XA à enregistrer électroniquement chaque passage à ses "
     "trois principaux postes."),
    ("MCEE-2021-007", "XA", "approved",
     "The advisory unit Canada funds drafted XA's first national return and readmission policy.",
     "La cellule de conseil financée par le Canada a rédigé la première politique nationale de retour et de "
     "réadmission de XA."),
    ("MCEE-2019-003", "XB", "approved",
     "With Canada's help, XB issued 40,000 new identity documents with verifiable records.",
     "Avec l’aide du Canada, XB a délivré 40 000 nouvelles pièces d’identité aux registres vérifiables."),
    ("MCEE-2022-010", "XC", "approved",
     "Consular staff trained with Canada's support now answer document requests within 30 days.",
     "Le personnel consulaire formé grâce au Canada répond désormais aux demandes de documents en 30 jours."),
    ("MCEE-2019-002", "XF", "approved",
     "XF's refugee agency doubled its monthly asylum registrations with Canadian support.",
     "L’organisme des réfugiés de XF a doublé ses enregistrements mensuels de demandes d’asile grâce au Canada."),
    ("MCEE-2020-004", "XC", "draft",
     "Smuggling investigations supported by Canada led to twelve prosecutions.",
     "Les enquêtes sur le trafic appuyées par le Canada ont mené à douze poursuites."),
    ("MCEE-2019-001", "XA", "retired",
     "XA's new border system is being installed with Canada's help.",
     "Le nouveau système frontalier de XA est en cours d’installation avec l’aide du Canada."),
]

# (days from today or a fixed date, country, status, kind, level, lead, participants, institution, title,
#  removals raised, projects leveraged (None: none used; []: not recorded), key messages used (project refs))
ENGAGEMENTS = [
    ("2019-11-14", "XA", "held", "ottawa_bilateral", "dg", "cbsa", ["ircc"], "Embassy of XA", "Ambassador", True,
     ["MCEE-2019-001"], []),
    ("2020-02-20", "XB", "held", "in_country_bilateral", "director", "gac", ["cbsa"], "Ministry of Interior of XB",
     "Director of Consular Affairs", True, ["MCEE-2019-003"], []),
    ("2020-09-10", "XC", "held", "multilateral", "adm", "ircc", [], "Regional migration forum", "Chair", False,
     None, []),
    ("2021-03-02", "XA", "held", "ministerial_visit", "minister", "ircc", ["gac", "cbsa"], "Government of XA",
     "Minister of Foreign Affairs", True, ["MCEE-2019-001", "MCEE-2021-007"], []),
    ("2021-06-22", "XD", "held", "ottawa_bilateral", "dg", "cbsa", [], "Embassy of XD", "Chargé d'affaires", True,
     ["MCEE-2020-004"], []),
    ("2022-01-18", "XE", "held", "like_minded", "director", "ircc", ["gac"], "Migration Five working group",
     "Co-chair", False, [], []),
    ("2022-05-05", "XF", "held", "in_country_bilateral", "officer", "gac", [], "Refugee agency of XF",
     "Head of registration", False, ["MCEE-2019-002"], []),
    ("2023-02-14", "XC", "held", "ottawa_bilateral", "dg", "cbsa", ["ircc"], "Embassy of XC", "Ambassador", True,
     [], []),
    ("2023-10-03", "XB", "held", "in_country_bilateral", "adm", "gac", ["cbsa"], "Ministry of Interior of XB",
     "Deputy minister", True, None, []),
    ("2024-06-11", "XA", "held", "ottawa_bilateral", "dg", "cbsa", ["gac"], "Embassy of XA", "Ambassador", True,
     ["MCEE-2021-007"], ["MCEE-2021-007"]),
    ("2025-02-19", "XC", "held", "in_country_bilateral", "director", "cbsa", [], "Consular directorate of XC",
     "Director", True, ["MCEE-2022-010"], ["MCEE-2022-010"]),
    ("2025-09-09", "XF", "held", "multilateral", "adm", "ircc", ["gac"], "Regional consultation process",
     "Secretariat", False, ["MCEE-2019-002"], ["MCEE-2019-002"]),
    ("2026-03-12", "XD", "cancelled", "ottawa_bilateral", "dg", "cbsa", [], "Embassy of XD", "Ambassador", True,
     [], []),
    # Upcoming: CBSA and GAC both meet XA within a week (the calendar's missed-opportunity signal).
    (5, "XA", "planned", "ottawa_bilateral", "director", "cbsa", [], "Embassy of XA", "Consul", True, [], []),
    (9, "XA", "planned", "in_country_bilateral", "adm", "gac", [], "Ministry of Foreign Affairs of XA",
     "Secretary general", True, [], []),
    (24, "XC", "planned", "ottawa_bilateral", "dg", "cbsa", ["ircc"], "Embassy of XC", "Ambassador", True, [], []),
    (40, "XF", "planned", "like_minded", "director", "ircc", [], "Migration Five working group", "Co-chair", False,
     [], []),
]

# (engagement index, action, owner, due (ISO date or days from today), done on (ISO, days or None))
FOLLOW_UPS = [
    (0, "Send the list of pending travel-document requests to the embassy.", "cbsa", "2019-11-29", "2019-11-27"),
    (3, "Share the advisory unit's draft policy with the ministry.", "gac", "2021-04-15", "2021-05-20"),
    (4, "Confirm interview dates for the 12 oldest cases.", "cbsa", "2021-07-15", "2021-07-14"),
    (8, "Follow up on the deputy minister's request for a study visit.", "ircc", "2023-11-30", None),
    (9, "Send the case list discussed with the ambassador.", "cbsa", "2024-06-30", "2024-06-28"),
    (10, "Invite consular directorate to the document fraud workshop.", "ircc", -3, None),
    (11, "Circulate the consultation's conclusions to CBSA and GAC.", "ircc", 2, None),
]

# The government-wide matrix a demonstration starts from (fictional: MCET sets the real one).
RACI = {
    "maintain-engagement-plan": {"cbsa": "A", "ircc": "R", "gac": "C", "ps": "I"},
    "raise-td-issues": {"cbsa": "R", "gac": "A", "ircc": "C"},
    "leverage-projects": {"gac": "R", "ircc": "A", "cbsa": "C"},
    "log-engagements": {"ircc": "A", "cbsa": "R", "gac": "R", "ps": "R"},
    "follow-up-actions": {"ircc": "A", "cbsa": "R", "gac": "R"},
    "collect-td-data": {"cbsa": "A", "ircc": "I"},
    "approve-key-messages": {"ircc": "A", "gac": "C", "cbsa": "C"},
    "disseminate-results": {"ircc": "A", "cbsa": "I", "gac": "I", "ps": "I"},
    "monitor-project-results": {"ircc": "A", "gac": "C"},
    "recommend-escalation": {"cbsa": "R", "ps": "A", "gac": "C", "ircc": "C"},
}
# XA's engagement plan is GAC-led in the demonstration: its own cells replace two defaults.
RACI_XA = {"maintain-engagement-plan": {"gac": "A", "cbsa": "R"}}


def _day(value, today: dt.date) -> dt.date:
    return today + dt.timedelta(days=value) if isinstance(value, int) else dt.date.fromisoformat(value)


def load_demo_engagements(today: dt.date | None = None) -> dict[str, int]:
    """Fictional engagements (past and coming), follow-ups, key messages, the responsibility matrix and a
    dissemination plan with its distributions. Coming engagements are dated from today, so the calendar
    always has something to show."""
    from django.utils import timezone

    from countries.models import Country
    from engagements.models import (
        Department,
        DisseminationPlan,
        Distribution,
        DistributionRecipient,
        Engagement,
        FollowUp,
        Responsibility,
        ResponsibilityActivity,
    )
    from projects.models import KeyMessage

    if Engagement.objects.exists():
        return {"engagements": Engagement.objects.count()}
    today = today or timezone.localdate()
    country = {c.code.code: c for c in Country.objects.all()}
    project = {p.reference: p for p in Project.objects.all()}
    department = {d.code: d for d in Department.objects.all()}
    approved_on = timezone.make_aware(dt.datetime(2024, 5, 1, 10, 0))

    messages = {}
    for reference, code, status, text_en, text_fr in KEY_MESSAGES:
        message = KeyMessage(project=project[reference], country=country[code], text_en=text_en, text_fr=text_fr,
                             status=status, evidence="Fictional demonstration evidence.",
                             approved_at=approved_on if status != "draft" else None)
        message.full_clean()
        message.save()
        if status == "approved":
            messages[reference] = message

    engagements = []
    for when, code, status, kind, level, lead, participants, institution, title, raised, used, said in ENGAGEMENTS:
        engagement = Engagement(
            country=country[code], date=_day(when, today), status=status, kind=kind, level=level,
            lead_department=department[lead], counterpart_institution=institution, counterpart_title=title,
            removals_raised=raised, no_project_leveraged=used is None,
            summary="Fictional demonstration engagement.",
            outcome="Fictional outcome." if status == "held" else "")
        # Parental many-to-many links are kept in memory until the cluster is saved.
        engagement.participating_departments.set([department[p] for p in participants])
        engagement.projects_leveraged.set([project[r] for r in used or []])
        engagement.key_messages_used.set([messages[r] for r in said])
        engagement.save()
        engagements.append(engagement)
    for index, action, owner, due, done in FOLLOW_UPS:
        FollowUp.objects.create(engagement=engagements[index], action=action, owner_department=department[owner],
                                due_date=_day(due, today), status="done" if done else "open",
                                completed_on=_day(done, today) if done else None)

    activities = {a.code: a for a in ResponsibilityActivity.objects.all()}
    for matrix, where in ((RACI, None), (RACI_XA, country["XA"])):
        for activity, roles in matrix.items():
            for code, role in roles.items():
                Responsibility.objects.create(activity=activities[activity], department=department[code],
                                              country=where, role=role)

    plan = DisseminationPlan.objects.create(
        title_en="Results for partner departments, 2025-26", title_fr="Résultats pour les ministères partenaires, "
        "2025-2026", context_en="The evaluation found results did not reach CBSA and GAC consistently.",
        context_fr="L’évaluation a constaté que les résultats ne parvenaient pas régulièrement à l’ASFC et à AMC.",
        objectives_en="Every partner department receives each quarter's results and the approved key messages.",
        objectives_fr="Chaque ministère partenaire reçoit les résultats du trimestre et les messages clés approuvés.",
        audience_groups="RWG members; heads of mission", recommendations_en="Use the key messages in every bilateral "
        "meeting with a target country.", recommendations_fr="Utiliser les messages clés à chaque rencontre "
        "bilatérale avec un pays cible.", channels="RWG meeting; e-mail digest", schedule="Quarterly, two weeks "
        "before the ADM RWG.", starts_on=dt.date(2025, 4, 1), ends_on=dt.date(2026, 3, 31))
    plan.audience_departments.set([department["cbsa"], department["gac"], department["ps"]])
    plan.key_messages.set(list(messages.values()))
    plan.save()
    acknowledged = timezone.make_aware(dt.datetime(2025, 6, 20, 9, 0))
    for sent_on, item, title, acknowledging in (
            (dt.date(2025, 6, 16), "results_digest", "Results digest, 2025-26 Q1", {"cbsa", "gac"}),
            (dt.date(2025, 9, 15), "key_messages", "Approved key messages, September 2025", {"cbsa"}),
            (dt.date(2025, 12, 15), "country_brief", "Country briefs for the December ADM RWG", set())):
        distribution = Distribution.objects.create(plan=plan, item=item, title=title, sent_on=sent_on,
                                                   channel="E-mail")
        if item == "key_messages":
            distribution.key_messages.set(list(messages.values()))
            distribution.save()
        for code in ("cbsa", "gac", "ps"):
            DistributionRecipient.objects.create(
                distribution=distribution, department=department[code],
                acknowledged_at=acknowledged.replace(month=sent_on.month) if code in acknowledging else None)
    return {"engagements": Engagement.objects.count()}
