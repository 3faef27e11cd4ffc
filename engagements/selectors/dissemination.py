"""Reads of dissemination: what reached each department, quarter by quarter, and what it acknowledged.

One query: every recipient row of the period with its department, the date the distribution was
sent and the moment it was acknowledged; grouping and the median are done here. A distribution
counts in the fiscal quarter of its ``sent_on`` date (``mcee.fiscal``: Q1 is April to June), and
an acknowledgement counts with the distribution it acknowledges, whenever it came.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from mcee.fiscal import FiscalQuarter, FiscalYear

from ..models import Department, DistributionRecipient

FOUR_PLACES = Decimal("0.0001")
ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class ReachRow:
    department: Department
    quarter: FiscalQuarter
    sent: int  # distributions sent to the department in the quarter
    acknowledged: int  # of those, acknowledged (at any time since)
    median_days: Decimal | None  # from sending to acknowledging, of the acknowledged ones

    @property
    def not_acknowledged(self) -> int:
        return self.sent - self.acknowledged

    @property
    def acknowledgement_rate(self) -> Decimal | None:
        """Acknowledged ÷ sent, four decimal places (rounded half up)."""
        if not self.sent:
            return None
        return (Decimal(self.acknowledged) / Decimal(self.sent)).quantize(FOUR_PLACES, ROUND_HALF_UP)


def _days_to_acknowledge(sent_on, acknowledged_at) -> int:
    return (timezone.localtime(acknowledged_at).date() - sent_on).days


def dissemination_reach(*, fiscal_year: FiscalYear | None = None,
                        department: Department | None = None) -> list[ReachRow]:
    """Per department and fiscal quarter with at least one distribution sent: sent, acknowledged, not yet
    acknowledged, the acknowledgement rate and the median days to acknowledge. Ordered by quarter,
    then department code."""
    rows = DistributionRecipient.objects.select_related("department", "distribution")
    if fiscal_year is not None:
        rows = rows.filter(distribution__sent_on__range=(fiscal_year.start, fiscal_year.end))
    if department is not None:
        rows = rows.filter(department=department)
    groups: dict[tuple[FiscalQuarter, int], dict] = {}
    for row in rows:
        sent_on = row.distribution.sent_on
        key = (FiscalQuarter.of(sent_on), row.department_id)
        group = groups.setdefault(key, {"department": row.department, "sent": 0, "days": []})
        group["sent"] += 1
        if row.acknowledged_at is not None:
            group["days"].append(_days_to_acknowledge(sent_on, row.acknowledged_at))
    result = []
    for (quarter, _department_id), group in sorted(groups.items(), key=lambda item: (item[0][0],
                                                                                       item[1]["department"].code)):
        days = group["days"]
        median = (Decimal(str(statistics.median(days))).quantize(ONE_PLACE, ROUND_HALF_UP) if days else None)
        result.append(ReachRow(group["department"], quarter, group["sent"], len(days), median))
    return result
