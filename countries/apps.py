from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountriesConfig(AppConfig):
    name = "countries"
    verbose_name = _("Countries")

    def ready(self):
        from auditlog.registry import auditlog

        from . import access, reports  # noqa: F401 (reports registers itself)
        from .models import AsylumStatistic, Country, CountryClassification, PreventiveRankingWeights

        access.register()
        auditlog.register(Country)
        auditlog.register(CountryClassification)
        auditlog.register(AsylumStatistic)
        auditlog.register(PreventiveRankingWeights)
        # Travel-document cases are written in bulk by the import (a million rows): the import run
        # is their record. Monthly figures and targets are audited like the rest.
        from .models import TimelinessTarget, TravelDocumentMonth

        auditlog.register(TravelDocumentMonth)
        auditlog.register(TimelinessTarget)
