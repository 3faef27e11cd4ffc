"""Countries: the country record and its classification history (``base``), asylum statistics and
the preventive ranking (``asylum``), RWG meetings and decisions, engagement plans and escalation
(``plans``)."""

from .asylum import (
    AsylumStatistic,
    AsylumStatisticGroupObjectPermission,
    AsylumStatisticUserObjectPermission,
    PreventiveRankingWeights,
)
from .base import (
    TARGETED_CATEGORIES,
    Category,
    Country,
    CountryClassification,
    CountryClassificationGroupObjectPermission,
    CountryClassificationUserObjectPermission,
    CountryGroupObjectPermission,
    CountryUserObjectPermission,
)

__all__ = [
    "AsylumStatistic", "AsylumStatisticGroupObjectPermission", "AsylumStatisticUserObjectPermission",
    "PreventiveRankingWeights",
    "TARGETED_CATEGORIES", "Category", "Country", "CountryClassification",
    "CountryClassificationGroupObjectPermission", "CountryClassificationUserObjectPermission",
    "CountryGroupObjectPermission", "CountryUserObjectPermission",
]
