from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, ModelChoiceFilter, ModelMultipleChoiceFilter
from wagtail.admin.filters import WagtailFilterSet

from countries.models import Country
from mcee.fiscal import FiscalYear

from .models import FundingLine, Partner, PriorityArea, Project, ProjectStatus


def fiscal_year_choices():
    years = FundingLine.objects.order_by("fiscal_year").values_list("fiscal_year", flat=True).distinct()
    return [(y, FiscalYear(y).localized_label()) for y in years]


class ProjectFilterSet(WagtailFilterSet):
    country = ModelChoiceFilter(label=_("Country"), queryset=Country.objects.all(),
                                field_name="country_shares__country", distinct=True)
    partner = ModelChoiceFilter(label=_("Implementing partner"), queryset=Partner.objects.all())
    priority_area = ModelMultipleChoiceFilter(label=_("Priority area"), queryset=PriorityArea.objects.all(),
                                              field_name="priority_areas", distinct=True)
    status = ChoiceFilter(label=_("Status"), choices=ProjectStatus.choices)
    fiscal_year = ChoiceFilter(label=_("Fiscal year with funding"), choices=fiscal_year_choices,
                               field_name="funding_lines__fiscal_year", distinct=True)

    class Meta:
        model = Project
        fields = ["country", "partner", "priority_area", "status", "fiscal_year"]
