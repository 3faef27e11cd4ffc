"""Admin listing filters for country data."""

from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, ModelChoiceFilter
from wagtail.admin.filters import WagtailFilterSet

from .models import AsylumStatistic, Country


def asylum_statistic_years():
    years = AsylumStatistic.objects.order_by("-year").values_list("year", flat=True).distinct()
    return [(year, str(year)) for year in years]


class AsylumStatisticFilterSet(WagtailFilterSet):
    country = ModelChoiceFilter(label=_("Country"), queryset=Country.objects.all())
    year = ChoiceFilter(label=_("Year"), choices=asylum_statistic_years)

    class Meta:
        model = AsylumStatistic
        fields = ["country", "year"]


# --- Travel documents (issue 5) ---

from .models import Outcome, TravelDocumentCase, TravelDocumentMonth  # noqa: E402


class TravelDocumentCaseFilterSet(WagtailFilterSet):
    country = ModelChoiceFilter(label=_("Country"), queryset=Country.objects.all())
    outcome = ChoiceFilter(label=_("Outcome"), choices=Outcome.choices)

    class Meta:
        model = TravelDocumentCase
        fields = ["country", "outcome"]


class TravelDocumentMonthFilterSet(WagtailFilterSet):
    country = ModelChoiceFilter(label=_("Country"), queryset=Country.objects.all())

    class Meta:
        model = TravelDocumentMonth
        fields = ["country"]
