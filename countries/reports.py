"""The preventive ranking as a report: the admin page, its exports, and ``mcee_report``."""

from django import forms
from django.db.models import Max
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from mcee.formatting import format_number
from mcee.reports import Column, Report, register

from .models import AsylumStatistic
from .models.asylum import MAX_YEAR, MIN_YEAR
from .selectors import preventive_ranking


def latest_statistics_year():
    return AsylumStatistic.objects.aggregate(latest=Max("year"))["latest"]


class PreventiveRankingOptions(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR,
                              initial=latest_statistics_year,
                              help_text=_("The calendar year to rank; the trend compares it with three years "
                                          "before."))


def _country(code):
    return f"{countries.name(code)} ({code})"


def _four_places(value):
    return format_number(value, 4)


@register
class PreventiveRankingReport(Report):
    slug = "preventive-ranking"
    title = _("Preventive ranking")
    description = _(
        "Every country with asylum statistics for the year, ranked by score = claims weight × (claims ÷ "
        "highest claims of the year) + rejection-rate weight × (IRB rejections ÷ IRB decisions) + trend "
        "weight × (three-year trend limited to 0..1). A missing value counts as 0. Rates, trend and score "
        "have four decimal places; equal claims or scores share a rank. The weights are under Settings.")
    options_form = PreventiveRankingOptions
    audience_model = "countries.asylumstatistic"
    columns = [
        Column("country", _("Country"), display=_country),
        Column("claims", _("Claims"), numeric=True),
        Column("claims_rank", _("Claims rank"), numeric=True),
        Column("rejection_rate", _("IRB rejection rate"), display=_four_places),
        Column("trend_3y", _("Three-year trend"), display=_four_places),
        Column("score", _("Score"), display=_four_places),
        Column("rank", _("Rank"), numeric=True),
    ]

    def rows(self):
        return [
            {"country": row.code, "claims": row.claims, "claims_rank": row.claims_rank,
             "rejection_rate": row.rejection_rate, "trend_3y": row.trend_3y, "score": row.score, "rank": row.rank}
            for row in preventive_ranking(year=self.options["year"])
        ]


# --- Travel documents (issue 5) ---

from .models import Country  # noqa: E402
from .selectors import PERIODS, td_completeness, td_timeliness  # noqa: E402

PERIOD_CHOICES = [("month", _("Month")), ("quarter", _("Fiscal quarter")), ("fiscal_year", _("Fiscal year"))]
assert [code for code, _label in PERIOD_CHOICES] == list(PERIODS)


class TDTimelinessOptions(forms.Form):
    country = forms.CharField(label=_("Country"), max_length=2,
                              help_text=_("The two-letter code of a country the MCEE records, such as XA."))
    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_CHOICES, initial="month", required=False,
                               help_text=_("month, quarter (fiscal) or fiscal_year."))

    def clean_country(self):
        code = self.cleaned_data["country"].strip().upper()
        country = Country.objects.filter(code=code).first()
        if country is None:
            raise forms.ValidationError(_("'%(code)s' is not a country recorded in the MCEE.") % {"code": code})
        return country

    def clean_period(self):
        return self.cleaned_data["period"] or "month"


def _share(value):
    return format_number(value, 4)


def _one_place(value):
    return format_number(value, 1)


@register
class TDTimelinessReport(Report):
    slug = "td-timeliness"
    title = _("Travel-document timeliness")
    description = _(
        "One country's travel documents per month, fiscal quarter or fiscal year: requested, issued, refused "
        "(counted in the period of the request), pending at the period's end, issuance rate (issued ÷ "
        "requested), and days from request to issue of the documents issued in the period: median, 90th "
        "percentile, and the share within the country's target. Case-level data win over monthly figures; a "
        "difference between them is shown as a data-quality warning.")
    options_form = TDTimelinessOptions
    audience_model = "countries.traveldocumentcase"
    columns = [
        Column("country", _("Country")),
        Column("period", _("Period")),
        Column("requested", _("Requested"), numeric=True),
        Column("issued", _("Issued"), numeric=True),
        Column("refused", _("Refused"), numeric=True),
        Column("pending_end", _("Pending at period end"), numeric=True),
        Column("issuance_rate", _("Issuance rate"), display=_share),
        Column("median_days", _("Median days to issue"), display=_one_place),
        Column("p90_days", _("90th percentile days to issue"), display=_one_place),
        Column("within_target_share", _("Share within target"), display=_share),
    ]

    def series(self):
        if not hasattr(self, "_series"):
            self._series = td_timeliness(country=self.options["country"], period=self.options.get("period") or "month")
        return self._series

    def rows(self):
        country = self.options["country"]
        return [
            {"country": country.code.code, "period": row.period, "requested": row.requested, "issued": row.issued,
             "refused": row.refused, "pending_end": row.pending_end, "issuance_rate": row.issuance_rate,
             "median_days": row.median_days, "p90_days": row.p90_days,
             "within_target_share": row.within_target_share}
            for row in self.series()
        ]

    def notes(self):
        return [f"{row.period}: {row.warning}" for row in self.series() if row.warning]


class TDCompletenessOptions(forms.Form):
    fiscal_year = forms.CharField(label=_("Fiscal year"), required=False, max_length=9,
                                  help_text=_("Such as 2024-25; the current fiscal year when empty."))

    def clean_fiscal_year(self):
        from mcee.fiscal import FiscalYear

        value = self.cleaned_data["fiscal_year"].strip()
        if not value:
            return None
        try:
            return FiscalYear.parse(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc))


@register
class TDCompletenessReport(Report):
    slug = "td-completeness"
    title = _("Travel-document data completeness")
    description = _(
        "For each targeted country (recalcitrant, preventive or at risk) and the fiscal year: the months so "
        "far with no travel-document data at all (no monthly figures, no case requested or issued), and the "
        "months without a count of people added to the working inventory.")
    options_form = TDCompletenessOptions
    audience_model = "countries.traveldocumentmonth"
    columns = [
        Column("country", _("Country")),
        Column("category", _("Category")),
        Column("fiscal_year", _("Fiscal year")),
        Column("months_expected", _("Months"), numeric=True),
        Column("months_without_data", _("Months without data"), numeric=True),
        Column("missing_months", _("Which months without data")),
        Column("months_missing_inventory", _("Months without added-to-inventory"), numeric=True),
        Column("missing_inventory_months", _("Which months without added-to-inventory")),
    ]

    def rows(self):
        from .models import Category

        return [
            {"country": row.country.code.code, "category": str(Category(row.category).label),
             "fiscal_year": row.fiscal_year.localized_label(), "months_expected": row.months_expected,
             "months_without_data": len(row.months_without_data), "missing_months": " ".join(row.months_without_data),
             "months_missing_inventory": len(row.months_missing_inventory),
             "missing_inventory_months": " ".join(row.months_missing_inventory)}
            for row in td_completeness(fiscal_year=self.options.get("fiscal_year"))
        ]




# --- Timeliness per targeted country (the dashboard, issue 8) ---

from .models import Category  # noqa: E402
from .selectors import td_timeliness_by_country  # noqa: E402

SOURCE_LABELS = {"cases": _("Cases"), "monthly": _("Monthly figures"), "": _("No data")}


class TDWindowOptions(TDCompletenessOptions):
    fiscal_year = forms.CharField(label=_("Fiscal year"), required=False, max_length=9,
                                  help_text=_("Such as 2024-25; the last four complete fiscal quarters when empty."))


@register
class TDTimelinessByCountryReport(Report):
    slug = "td-timeliness-by-country"
    title = _("Travel-document timeliness by targeted country")
    description = _(
        "Each targeted country (recalcitrant, preventive or at risk on the period's last day) over a fiscal year, "
        "or by default the last four complete fiscal quarters: travel documents requested and issued in the "
        "period, the median days from request to issue of those issued, the share issued within the country's "
        "target, and the target. Case-level data win; a country with no case in the period shows its monthly "
        "figures, which have no days to issue.")
    options_form = TDWindowOptions
    audience_model = "countries.traveldocumentcase"
    columns = [
        Column("country", _("Country"), display=_country),
        Column("category", _("Category"), display=lambda v: str(Category(v).label)),
        Column("period", _("Period")),
        Column("requested", _("Requested"), numeric=True),
        Column("issued", _("Issued"), numeric=True),
        Column("median_days", _("Median days to issue"), display=_one_place),
        Column("within_target_share", _("Share within target"), display=_share),
        Column("target_days", _("Target (days)"), numeric=True),
        Column("source", _("Source"), display=lambda v: str(SOURCE_LABELS[v])),
    ]

    def rows(self):
        return [
            {"country": row.country.code.code, "category": row.category, "period": row.window.label,
             "requested": row.requested, "issued": row.issued, "median_days": row.median_days,
             "within_target_share": row.within_target_share, "target_days": row.target_days, "source": row.source}
            for row in td_timeliness_by_country(fiscal_year=self.options.get("fiscal_year"))
        ]
