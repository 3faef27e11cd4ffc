"""A small registry of reports, shared by `manage.py mcee_report`, the admin and exports.

Each app declares its reports in its own ``reports.py`` and registers them here; nothing in
``mcee`` knows which reports exist. A report is columns plus a function that returns rows.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django import forms


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazy translated string
    display: Callable[[Any], Any] | None = None  # how a person sees the value (screen, XLSX)
    numeric: bool = False

    def shown(self, value):
        return self.display(value) if self.display and value is not None else value


@dataclass
class Report:
    """Subclass, set the class attributes, implement ``rows`` and register with ``@register``."""

    slug: ClassVar[str]
    title: ClassVar[Any]
    description: ClassVar[Any] = ""
    columns: ClassVar[list[Column]]
    # Options as a Django form: the admin shows it, the command turns its fields into flags.
    options_form: ClassVar[type[forms.Form] | None] = None
    # Who may open it: those who may view every object of this model (a label, e.g. "projects.fundingline").
    # Reports aggregate over all rows, so a role that sees only some of them is refused.
    audience_model: ClassVar[str] = "projects.fundingline"
    options: dict = field(default_factory=dict)

    def rows(self) -> list[dict]:
        raise NotImplementedError

    def display_rows(self) -> list[dict]:
        return [{c.key: c.shown(row.get(c.key)) for c in self.columns} for row in self.rows()]

    def notes(self) -> list[str]:
        """Data-quality warnings about the rows (asked after ``rows``): the admin shows them above the
        table and the command prints them on standard error, so the figures' columns stay as declared."""
        return []


_REGISTRY: dict[str, type[Report]] = {}


def register(report_class: type[Report]) -> type[Report]:
    if report_class.slug in _REGISTRY and _REGISTRY[report_class.slug] is not report_class:
        raise ValueError(f"Two reports are named {report_class.slug!r}.")
    _REGISTRY[report_class.slug] = report_class
    return report_class


def registered_reports() -> dict[str, type[Report]]:
    return dict(sorted(_REGISTRY.items()))


def get_report(slug: str) -> type[Report]:
    try:
        return _REGISTRY[slug]
    except KeyError:
        raise KeyError(f"No report named {slug!r}. Known reports: {', '.join(sorted(_REGISTRY))}.") from None


def add_form_arguments(parser: argparse.ArgumentParser, form_class: type[forms.Form] | None) -> None:
    """Turn an options form's fields into command-line flags (``year`` becomes ``--year``)."""
    if form_class is None:
        return
    for name, form_field in form_class.base_fields.items():
        parser.add_argument(f"--{name.replace('_', '-')}", dest=name, default=None,
                            help=str(form_field.help_text or form_field.label or name))


def clean_options(form_class: type[forms.Form] | None, data: dict) -> dict:
    """Validate options through the form, so command and admin refuse the same bad values."""
    if form_class is None:
        return {}
    form = form_class(data={k: v for k, v in data.items() if v is not None})
    if not form.is_valid():
        problems = "; ".join(f"{name}: {' '.join(errs)}" for name, errs in form.errors.items())
        raise ValueError(problems)
    return form.cleaned_data
