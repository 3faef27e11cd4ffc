"""Countries: the country record and its classification history (``base``), asylum statistics and
the preventive ranking (``asylum``), RWG meetings and decisions, engagement plans and escalation
(``plans``)."""

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
    "TARGETED_CATEGORIES", "Category", "Country", "CountryClassification",
    "CountryClassificationGroupObjectPermission", "CountryClassificationUserObjectPermission",
    "CountryGroupObjectPermission", "CountryUserObjectPermission",
]
