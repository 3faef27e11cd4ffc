"""Admin listing filters for engagements and follow-up actions."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, DateFilter, ModelChoiceFilter
from wagtail.admin.filters import WagtailFilterSet

from countries.models import Country

from .models import Department, Engagement, EngagementKind, EngagementLevel, EngagementStatus, FollowUp, FollowUpStatus
from .selectors.engagements import overdue_q

YES, NO = "yes", "no"


class OverdueFilter(ChoiceFilter):
    """Open and due before today (an action due today is not yet overdue), or the others."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", [(YES, _("Overdue")), (NO, _("Not overdue"))])
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if value == YES:
            return qs.filter(overdue_q(timezone.localdate()))
        if value == NO:
            return qs.exclude(overdue_q(timezone.localdate()))
        return qs


class FollowUpFilterSet(WagtailFilterSet):
    status = ChoiceFilter(label=_("Status"), choices=FollowUpStatus.choices)
    overdue = OverdueFilter(label=_("Overdue"))
    owner_department = ModelChoiceFilter(label=_("Owner department"), queryset=Department.objects.all())
    country = ModelChoiceFilter(label=_("Country"), queryset=Country.objects.all(), field_name="engagement__country")

    class Meta:
        model = FollowUp
        fields = ["status", "overdue", "owner_department", "country"]


class EngagementFilterSet(WagtailFilterSet):
    """The listing's filters, with a date range, so a figure (engagements of a fiscal quarter) can link to
    the engagements behind it."""

    status = ChoiceFilter(label=_("Status"), choices=EngagementStatus.choices)
    kind = ChoiceFilter(label=_("Kind"), choices=EngagementKind.choices)
    level = ChoiceFilter(label=_("Level"), choices=EngagementLevel.choices)
    lead_department = ModelChoiceFilter(label=_("Lead department"), queryset=Department.objects.all())
    country = ModelChoiceFilter(label=_("Country"), queryset=Country.objects.all())
    date_from = DateFilter(label=_("From (date)"), field_name="date", lookup_expr="gte")
    date_to = DateFilter(label=_("To (date)"), field_name="date", lookup_expr="lte")

    class Meta:
        model = Engagement
        fields = ["status", "kind", "level", "lead_department", "country", "date_from", "date_to"]
