"""The federal fiscal year (1 April to 31 March), the one place that knows its shape.

A fiscal year is identified by the calendar year it starts in: ``FiscalYear(2024)`` runs from
1 April 2024 to 31 March 2025 and is written ``2024-25`` in English, ``2024-2025`` in French.
Nothing else in the code computes April-to-March boundaries by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

FIRST_MONTH = 4  # April
_LABEL = re.compile(r"^(?P<start>\d{4})-(?P<end>\d{2}|\d{4})$")


@dataclass(frozen=True, order=True)
class FiscalYear:
    start_year: int

    @classmethod
    def of(cls, day: dt.date) -> FiscalYear:
        """The fiscal year a date falls in."""
        return cls(day.year if day.month >= FIRST_MONTH else day.year - 1)

    @classmethod
    def parse(cls, label: str) -> FiscalYear:
        """Read ``2024-25`` or ``2024-2025``; refuse anything else with a clear message."""
        from django.utils.translation import gettext as _

        match = _LABEL.match(str(label).strip())
        if not match:
            raise ValueError(_("“%(label)s” is not a fiscal year; write it as 2024-25.") % {"label": label})
        start = int(match["start"])
        end = match["end"]
        expected = str(start + 1) if len(end) == 4 else f"{(start + 1) % 100:02d}"
        if end != expected:
            raise ValueError(_("“%(label)s” is not a fiscal year: %(start)s is followed by %(next)s.")
                             % {"label": label, "start": start, "next": start + 1})
        return cls(start)

    @property
    def start(self) -> dt.date:
        return dt.date(self.start_year, FIRST_MONTH, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.start_year + 1, FIRST_MONTH - 1, 31)

    @property
    def label(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def label_fr(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"

    def localized_label(self, language: str | None = None) -> str:
        from django.utils.translation import get_language

        language = (language or get_language() or "en")[:2]
        return self.label_fr if language == "fr" else self.label

    def __str__(self) -> str:
        return self.label

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def next(self) -> FiscalYear:
        return FiscalYear(self.start_year + 1)

    def previous(self) -> FiscalYear:
        return FiscalYear(self.start_year - 1)

    def quarters(self) -> list[FiscalQuarter]:
        return [FiscalQuarter(self, n) for n in (1, 2, 3, 4)]


@dataclass(frozen=True, order=True)
class FiscalQuarter:
    fiscal_year: FiscalYear
    number: int  # 1 = April-June ... 4 = January-March

    def __post_init__(self):
        if self.number not in (1, 2, 3, 4):
            raise ValueError("A fiscal quarter is numbered 1 to 4.")

    @classmethod
    def of(cls, day: dt.date) -> FiscalQuarter:
        months_in = (day.month - FIRST_MONTH) % 12
        return cls(FiscalYear.of(day), months_in // 3 + 1)

    @property
    def start(self) -> dt.date:
        month_index = FIRST_MONTH - 1 + (self.number - 1) * 3  # zero-based months since January
        year = self.fiscal_year.start_year + month_index // 12
        return dt.date(year, month_index % 12 + 1, 1)

    @property
    def end(self) -> dt.date:
        following = self.next().start if self.number < 4 else self.fiscal_year.next().start
        return following - dt.timedelta(days=1)

    def next(self) -> FiscalQuarter:
        if self.number == 4:
            return FiscalQuarter(self.fiscal_year.next(), 1)
        return FiscalQuarter(self.fiscal_year, self.number + 1)

    def previous(self) -> FiscalQuarter:
        if self.number == 1:
            return FiscalQuarter(self.fiscal_year.previous(), 4)
        return FiscalQuarter(self.fiscal_year, self.number - 1)

    @classmethod
    def last(cls, count: int, *, ending: FiscalQuarter) -> list[FiscalQuarter]:
        """``count`` quarters in order, the last being ``ending``."""
        if count < 1:
            raise ValueError("Ask for at least one quarter.")
        quarters = [ending]
        while len(quarters) < count:
            quarters.append(quarters[-1].previous())
        return quarters[::-1]

    @property
    def label(self) -> str:
        return f"{self.fiscal_year.label} Q{self.number}"

    def localized_label(self, language: str | None = None) -> str:
        from django.utils.translation import get_language

        language = (language or get_language() or "en")[:2]
        if language == "fr":
            return f"{self.fiscal_year.label_fr} T{self.number}"
        return self.label

    def __str__(self) -> str:
        return self.label


def fiscal_year(day: dt.date) -> str:
    """``fiscal_year(date(2025, 3, 31)) == "2024-25"``."""
    return FiscalYear.of(day).label


def fiscal_years_between(first: FiscalYear, last: FiscalYear) -> Iterator[FiscalYear]:
    """Every fiscal year from first to last, both included."""
    for start in range(first.start_year, last.start_year + 1):
        yield FiscalYear(start)


def fiscal_years_spanned(start: dt.date, end: dt.date) -> list[FiscalYear]:
    """The fiscal years a date range touches, in order."""
    if end < start:
        raise ValueError("The end date is before the start date.")
    return list(fiscal_years_between(FiscalYear.of(start), FiscalYear.of(end)))
