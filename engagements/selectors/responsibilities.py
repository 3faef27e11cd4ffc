"""The responsibility matrix (RACI) as rows to show: government-wide, or for one country.

A country's own cell replaces the government-wide one for that department. One department is
accountable for an activity: when a country names its own accountable department, the
government-wide accountable department (if another) is not accountable for that country, and its
cell says so instead of showing a second "A". Three queries, whatever the number of cells.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from countries.models import Country

from ..models import Department, RaciRole, Responsibility, ResponsibilityActivity


@dataclass(frozen=True)
class RaciCell:
    department: Department
    role: str | None  # "R", "A", "C", "I", or None for no role
    from_country: bool = False  # the country's own assignment, not the government-wide one
    default_role: str | None = None  # the government-wide role this cell replaces, if any
    displaced: bool = False  # a government-wide "A" set aside by the country's own accountable department

    @property
    def role_label(self) -> str:
        return str(RaciRole(self.role).label) if self.role else ""

    @property
    def default_role_label(self) -> str:
        return str(RaciRole(self.default_role).label) if self.default_role else ""


@dataclass(frozen=True)
class RaciRow:
    activity: ResponsibilityActivity
    cells: list[RaciCell]

    @property
    def roles(self) -> dict[str, str | None]:
        """Department code → role, the shape tests and exports read."""
        return {cell.department.code: cell.role for cell in self.cells}

    @property
    def overridden(self) -> set[str]:
        """Codes of the departments whose cell comes from the country."""
        return {cell.department.code for cell in self.cells if cell.from_country}

    @property
    def accountable(self) -> Department | None:
        return next((cell.department for cell in self.cells if cell.role == RaciRole.ACCOUNTABLE), None)


@dataclass(frozen=True)
class RaciMatrix:
    country: Country | None
    departments: list[Department]
    rows: list[RaciRow]

    @property
    def has_overrides(self) -> bool:
        return any(cell.from_country or cell.displaced for row in self.rows for cell in row.cells)

    def row(self, activity_code: str) -> RaciRow:
        return next(row for row in self.rows if row.activity.code == activity_code)


def raci_for_country(*, country: Country | None = None) -> RaciMatrix:
    """Every activity × every department; ``country=None`` for the government-wide matrix."""
    activities = list(ResponsibilityActivity.objects.order_by("sort_order", "code"))
    departments = list(Department.objects.order_by("code"))
    where = Q(country__isnull=True)
    if country is not None:
        where |= Q(country=country)
    defaults: dict[tuple[int, int], str] = {}
    own: dict[tuple[int, int], str] = {}
    for activity_id, department_id, country_id, role in Responsibility.objects.filter(where).values_list(
            "activity_id", "department_id", "country_id", "role"):
        (own if country_id is not None else defaults)[(activity_id, department_id)] = role

    rows = []
    for activity in activities:
        country_names_accountable = any(
            role == RaciRole.ACCOUNTABLE for (a, _d), role in own.items() if a == activity.pk)
        cells = []
        for department in departments:
            key = (activity.pk, department.pk)
            default = defaults.get(key)
            if key in own:
                cells.append(RaciCell(department, own[key], from_country=True, default_role=default))
            elif default == RaciRole.ACCOUNTABLE and country_names_accountable:
                cells.append(RaciCell(department, None, default_role=default, displaced=True))
            else:
                cells.append(RaciCell(department, default))
        rows.append(RaciRow(activity, cells))
    return RaciMatrix(country, departments, rows)
