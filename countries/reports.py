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
