"""Countries: the country record and its classification history (``base``), asylum statistics and
the preventive ranking (``asylum``), RWG meetings and decisions, engagement plans and escalation
(``plans``), travel-document cases, monthly figures and timeliness targets (``travel_documents``)."""

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
from .travel_documents import (
    DEFAULT_TARGET_DAYS,
    Outcome,
    TimelinessTarget,
    TimelinessTargetGroupObjectPermission,
    TimelinessTargetUserObjectPermission,
    TravelDocumentCase,
    TravelDocumentCaseGroupObjectPermission,
    TravelDocumentCaseUserObjectPermission,
    TravelDocumentMonth,
    TravelDocumentMonthGroupObjectPermission,
    TravelDocumentMonthUserObjectPermission,
)

__all__ = [
    "AsylumStatistic", "AsylumStatisticGroupObjectPermission", "AsylumStatisticUserObjectPermission",
    "PreventiveRankingWeights",
    "TARGETED_CATEGORIES", "Category", "Country", "CountryClassification",
    "CountryClassificationGroupObjectPermission", "CountryClassificationUserObjectPermission",
    "CountryGroupObjectPermission", "CountryUserObjectPermission",
    "DEFAULT_TARGET_DAYS", "Outcome", "TimelinessTarget", "TimelinessTargetGroupObjectPermission",
    "TimelinessTargetUserObjectPermission", "TravelDocumentCase", "TravelDocumentCaseGroupObjectPermission",
    "TravelDocumentCaseUserObjectPermission", "TravelDocumentMonth", "TravelDocumentMonthGroupObjectPermission",
    "TravelDocumentMonthUserObjectPermission",
]
