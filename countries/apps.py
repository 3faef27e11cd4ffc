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
        from . import api

        api.register_api()  # its endpoints under /api/v1/ (mcee.api)
        auditlog.register(Country)
        auditlog.register(CountryClassification)
        auditlog.register(AsylumStatistic)
        auditlog.register(PreventiveRankingWeights)
        # Travel-document cases are written in bulk by the import (a million rows): the import run
        # is their record. Monthly figures and targets are audited like the rest.
        from .models import TimelinessTarget, TravelDocumentMonth

        auditlog.register(TravelDocumentMonth)
        auditlog.register(TimelinessTarget)

        # The files the admin can import (slugs: the ImportRun kinds of countries.imports).
        from mcee.import_kinds import ImportKind
        from mcee.import_kinds import register as register_import

        register_import(ImportKind(
            "asylum", _("Asylum statistics"), "countries.imports.asylum_import",
            writes=("countries.asylumstatistic", "countries.country")))
        register_import(ImportKind(
            "td_cases", _("Travel-document cases (CBSA extract)"), "countries.imports.td_cases_import",
            reports_progress=True, writes=("countries.traveldocumentcase",),
            keep_file=False))  # it holds case references, which are never stored
        register_import(ImportKind(
            "td_monthly", _("Travel-document monthly figures (CBSA extract)"),
            "countries.imports.td_monthly_import", reports_progress=True, writes=("countries.traveldocumentmonth",)))
