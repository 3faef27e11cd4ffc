"""The brief data through the API: ``GET /api/v1/briefs/{code}/?lang=fr&on=2026-09-30``, the same
``CountryBrief`` the page and the PDF draw, as the caller may read it (docs/api.md)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, viewsets
from rest_framework.response import Response

from countries.models import Country
from mcee import access
from mcee.api.registry import register
from mcee.api.views import MarkedResponseMixin
from mcee.api.viewsets import PolicyPermission

from .brief_data import brief_narrative, country_brief

DECIMAL = {"max_digits": 16, "decimal_places": 4, "allow_null": True}


class BriefCategoryChangeSerializer(serializers.Serializer):
    effective_date = serializers.DateField()
    category = serializers.CharField()
    category_label = serializers.CharField()
    rationale = serializers.CharField(help_text=_("Empty for a caller who may not see it."))


class BriefEscalationSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    label = serializers.CharField()
    effective_date = serializers.DateField()


class BriefPlanSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    plan_type = serializers.CharField()
    status = serializers.CharField()
    review_date = serializers.DateField(allow_null=True)
    objectives = serializers.CharField()


class BriefQuarterSerializer(serializers.Serializer):
    label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    requested = serializers.IntegerField(allow_null=True)
    issued = serializers.IntegerField(allow_null=True)
    refused = serializers.IntegerField(allow_null=True)
    median_days = serializers.DecimalField(**DECIMAL)
    within_target_share = serializers.DecimalField(**DECIMAL)
    source = serializers.CharField(help_text=_("cases, monthly, or empty when there is no data."))
    warning = serializers.CharField()


class BriefIndicatorSerializer(serializers.Serializer):
    name = serializers.CharField()
    unit = serializers.CharField()
    baseline_value = serializers.DecimalField(**DECIMAL)
    target_value = serializers.DecimalField(**DECIMAL)
    latest_actual = serializers.DecimalField(**DECIMAL)
    latest_text = serializers.CharField()
    latest_period_label = serializers.CharField()


class BriefProjectSerializer(serializers.Serializer):
    reference = serializers.CharField()
    title = serializers.CharField()
    partner = serializers.CharField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    status = serializers.CharField()
    priority_areas = serializers.ListField(child=serializers.CharField())
    planned_start = serializers.DateField()
    planned_end = serializers.DateField()
    results = BriefIndicatorSerializer(many=True)


class BriefKeyMessageSerializer(serializers.Serializer):
    project_reference = serializers.CharField()
    text = serializers.CharField()


class BriefEngagementSerializer(serializers.Serializer):
    date = serializers.DateField()
    status = serializers.CharField()
    kind = serializers.CharField()
    level = serializers.CharField()
    lead = serializers.CharField()
    removals_raised = serializers.BooleanField()
    projects_leveraged = serializers.ListField(child=serializers.CharField())
    no_project_used = serializers.BooleanField()


class BriefFollowUpSerializer(serializers.Serializer):
    action = serializers.CharField()
    owner = serializers.CharField()
    due_date = serializers.DateField()
    status = serializers.CharField()
    overdue = serializers.BooleanField()


class BriefTimelineEventSerializer(serializers.Serializer):
    date = serializers.DateField()
    kind = serializers.CharField(help_text=_("engagement, project or decision."))
    label = serializers.CharField()
    leveraged = serializers.BooleanField()


class BriefResponsibilitySerializer(serializers.Serializer):
    activity = serializers.CharField()
    roles = serializers.DictField(child=serializers.CharField(allow_null=True),
                                  help_text=_("Department code: R, A, C, I, or null."))


class BriefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    language = serializers.CharField()
    on = serializers.DateField()
    marking = serializers.CharField()
    category = serializers.CharField()
    category_label = serializers.CharField()
    category_history = BriefCategoryChangeSerializer(many=True)
    may_see_escalation = serializers.BooleanField()
    escalation = BriefEscalationSerializer(allow_null=True)
    may_see_plan = serializers.BooleanField()
    plan = BriefPlanSerializer(allow_null=True)
    td_target_days = serializers.IntegerField()
    td_quarters = BriefQuarterSerializer(many=True)
    completeness_warnings = serializers.ListField(child=serializers.CharField())
    projects = BriefProjectSerializer(many=True)
    key_messages = BriefKeyMessageSerializer(many=True)
    recent_engagements = BriefEngagementSerializer(many=True)
    upcoming_engagements = BriefEngagementSerializer(many=True)
    follow_ups = BriefFollowUpSerializer(many=True)
    timeline = BriefTimelineEventSerializer(many=True)
    responsibilities = serializers.SerializerMethodField()
    narrative = serializers.CharField(help_text=_("Rich text (HTML) in the brief's language."))

    @extend_schema_field(BriefResponsibilitySerializer(many=True))
    def get_responsibilities(self, brief) -> list[dict]:
        return [{"activity": row.activity.code, "roles": row.roles} for row in brief.raci.rows]


class BriefViewSet(MarkedResponseMixin, viewsets.ViewSet):
    """A country's brief, as the caller may read it: no escalation step, plan or classification rationale
    without the right to them, no pipeline project, approved key messages only."""

    permission_classes = [PolicyPermission]
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2}"

    def policy_model(self):
        return Country

    @extend_schema(
        parameters=[
            OpenApiParameter("lang", OpenApiTypes.STR, enum=["en", "fr"],
                             description=str(_("Language of the labels and texts: en (default) or fr."))),
            OpenApiParameter("on", OpenApiTypes.DATE,
                             description=str(_("The figures as of this date (YYYY-MM-DD); today by default."))),
        ],
        responses={200: BriefSerializer, 400: OpenApiResponse(description=str(_("A bad language or date."))),
                   404: OpenApiResponse(description=str(_("No such country, or outside the caller's reach.")))},
    )
    def retrieve(self, request, code=None):
        language = request.query_params.get("lang", "en")
        if language not in ("en", "fr"):
            raise exceptions.ValidationError({"lang": [_("Give en or fr.")]})
        on = None
        if "on" in request.query_params:
            try:
                on = dt.date.fromisoformat(request.query_params["on"])
            except ValueError:
                raise exceptions.ValidationError({"on": [_("Write the date as YYYY-MM-DD.")]}) from None
        country = access.visible(request.user, Country).filter(code=(code or "").upper()).first()
        if country is None:
            raise exceptions.NotFound()
        brief = country_brief(country=country, user=request.user, on=on, language=language,
                              narrative=brief_narrative(country=country, language=language))
        return Response(BriefSerializer(brief).data)


def register_api():
    register("briefs", BriefViewSet)
