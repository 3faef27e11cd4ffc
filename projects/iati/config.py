"""What the IATI publication may contain: the ``MCEE_IATI`` setting, read and checked in one place.

Nothing is published until projects are opted in (``PROJECTS``: their references, or ``["*"]`` for every
project of an allowed status). Pipeline projects are never published, whatever the setting says. Titles,
dates, countries with their shares, the partner and the sector always go; what else goes is ``FIELDS``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ..models import ProjectStatus

ALL_PROJECTS = "*"
# Parts of an activity that are published only when named in FIELDS.
BUDGETS, TRANSACTIONS, DESCRIPTIONS, RESULTS = "budgets", "transactions", "descriptions", "results"
OPTIONAL_FIELDS = (BUDGETS, TRANSACTIONS, DESCRIPTIONS, RESULTS)
DEFAULT_FIELDS = (BUDGETS, TRANSACTIONS)
DEFAULT_STATUSES = (ProjectStatus.ACTIVE, ProjectStatus.FINALISATION, ProjectStatus.CLOSED)
NEVER_PUBLISHED_STATUSES = (ProjectStatus.PIPELINE,)


@dataclass(frozen=True)
class IatiConfig:
    reporting_org_ref: str
    reporting_org_type: str
    reporting_org_name_en: str
    reporting_org_name_fr: str
    projects: tuple[str, ...]  # references; ("*",) for every project of an allowed status
    statuses: tuple[str, ...]
    fields: frozenset[str]
    marking_en: str  # written as a comment at the top of the file
    marking_fr: str

    @property
    def every_project(self) -> bool:
        return ALL_PROJECTS in self.projects

    def publishes(self, field: str) -> bool:
        return field in self.fields


def _tuple(value, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple | set | frozenset):
        raise ImproperlyConfigured(f"MCEE_IATI[{name!r}] must be a list of strings.")
    return tuple(str(part).strip() for part in value if str(part).strip())


def iati_config(overrides: dict | None = None) -> IatiConfig:
    """``settings.MCEE_IATI`` (with ``overrides``) as an :class:`IatiConfig`; a mistake in it is an
    ``ImproperlyConfigured`` naming the key, never a silently wider publication."""
    raw = {**getattr(settings, "MCEE_IATI", {}), **(overrides or {})}
    statuses = _tuple(raw.get("STATUSES", DEFAULT_STATUSES), "STATUSES")
    unknown = [s for s in statuses if s not in ProjectStatus.values]
    if unknown:
        raise ImproperlyConfigured(f"MCEE_IATI['STATUSES'] names unknown project statuses: {', '.join(unknown)}. "
                                   f"Known: {', '.join(ProjectStatus.values)}.")
    never = [s for s in statuses if s in NEVER_PUBLISHED_STATUSES]
    if never:
        raise ImproperlyConfigured(f"MCEE_IATI['STATUSES'] may not include {', '.join(never)}: projects still in "
                                   "the pipeline are never published.")
    fields = _tuple(raw.get("FIELDS", DEFAULT_FIELDS), "FIELDS")
    unknown = [f for f in fields if f not in OPTIONAL_FIELDS]
    if unknown:
        raise ImproperlyConfigured(f"MCEE_IATI['FIELDS'] names unknown parts: {', '.join(unknown)}. "
                                   f"Known: {', '.join(OPTIONAL_FIELDS)}.")
    marking = settings.MCEE_SECURITY_MARKING
    return IatiConfig(
        reporting_org_ref=str(raw.get("REPORTING_ORG_REF") or "").strip(),
        reporting_org_type=str(raw.get("REPORTING_ORG_TYPE") or "10").strip(),
        reporting_org_name_en=str(raw.get("REPORTING_ORG_NAME_EN") or "").strip(),
        reporting_org_name_fr=str(raw.get("REPORTING_ORG_NAME_FR") or "").strip(),
        projects=_tuple(raw.get("PROJECTS", ()), "PROJECTS"),
        statuses=statuses,
        fields=frozenset(fields),
        marking_en=str(raw.get("MARKING_EN") or marking.get("en", "")).strip(),
        marking_fr=str(raw.get("MARKING_FR") or marking.get("fr", "")).strip(),
    )
