"""The API's engagement endpoints: read, create and update (never delete) under the admin's rules.

A department's token records and changes the engagements its department leads or takes part in,
through ``engagements.services.engagements.engagement_save`` (the rules of the admin form); another
department's engagement is absent to it (404), and one it may see but not change answers 403.
Registered in ``EngagementsConfig.ready``; the framework is ``mcee.api`` (docs/api.md).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from countries.models import Country
from mcee import access
from mcee.api.registry import register
from mcee.api.viewsets import PolicyViewSet
from mcee.fiscal import FiscalYear
from projects.models import KeyMessage, Project

from .models import Department, Engagement, EngagementKind, EngagementLevel, EngagementStatus
from .services.engagements import engagement_save, offered_key_messages


class EngagementSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code.code", help_text=_("ISO 3166-1 alpha-2."))
    fiscal_year = serializers.SerializerMethodField(help_text=_("The federal fiscal year of the date."))
    status_label = serializers.CharField(source="get_status_display")
    kind_label = serializers.CharField(source="get_kind_display")
    level_label = serializers.CharField(source="get_level_display")
    lead_department = serializers.CharField(source="lead_department.code")
    participating_departments = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    projects_leveraged = serializers.SlugRelatedField(
        slug_field="reference", many=True, read_only=True,
        help_text=_("References of the projects leveraged that the caller may see."))
    key_messages_used = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text=_("Ids of the key messages used that the caller may see."))

    class Meta:
        model = Engagement
        fields = ["id", "country", "date", "fiscal_year", "status", "status_label", "kind", "kind_label", "level",
                  "level_label", "lead_department", "participating_departments", "counterpart_institution",
                  "counterpart_title", "removals_raised", "projects_leveraged", "no_project_leveraged",
                  "key_messages_used", "summary", "outcome", "next_steps", "created_at", "updated_at"]

    def get_fiscal_year(self, engagement) -> str:
        return FiscalYear.of(engagement.date).label


@extend_schema_field(OpenApiTypes.STR)
class _VisibleSlugs(serializers.SlugRelatedField):
    """Records chosen by a natural key among those the caller may see (others read as unknown)."""

    def __init__(self, model, slug_field, **kwargs):
        self.model = model
        super().__init__(slug_field=slug_field, queryset=model.objects.none(), **kwargs)

    def get_queryset(self):
        return access.visible(self.context["request"].user, self.model)

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:  # names nothing (and PostgreSQL refuses to look it up)
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", "\ufffd"))
        return super().to_internal_value(data)


@extend_schema_field(OpenApiTypes.INT)
class _OfferedKeyMessages(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return offered_key_messages(self.context["request"].user, self.root.instance)


class EngagementWriteSerializer(serializers.Serializer):
    """What a caller sends to record an engagement; the rules are the admin form's."""

    country = _VisibleSlugs(Country, "code", help_text=_("ISO 3166-1 alpha-2 of a recorded country."))
    date = serializers.DateField()
    status = serializers.ChoiceField(choices=EngagementStatus.choices, default=EngagementStatus.PLANNED)
    kind = serializers.ChoiceField(choices=EngagementKind.choices)
    level = serializers.ChoiceField(choices=EngagementLevel.choices)
    lead_department = _VisibleSlugs(Department, "code", help_text=_("A department's code: cbsa, gac, ircc, ps, irb."))
    participating_departments = _VisibleSlugs(Department, "code", many=True, required=False)
    counterpart_institution = serializers.CharField(max_length=200, required=False, allow_blank=True)
    counterpart_title = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                              help_text=_("A title only, never a person's name."))
    removals_raised = serializers.BooleanField(required=False)
    projects_leveraged = _VisibleSlugs(Project, "reference", many=True, required=False,
                                       help_text=_("References of MCEE projects working in the country."))
    no_project_leveraged = serializers.BooleanField(required=False)
    key_messages_used = _OfferedKeyMessages(many=True, required=False,
                                            help_text=_("Ids of approved key messages about the country."))
    summary = serializers.CharField(required=False, allow_blank=True)
    outcome = serializers.CharField(required=False, allow_blank=True)
    next_steps = serializers.CharField(required=False, allow_blank=True)

    def save(self, **kwargs):
        try:
            self.instance = engagement_save(user=self.context["request"].user, values=dict(self.validated_data),
                                            engagement=self.instance)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc))
        return self.instance

    def to_representation(self, instance):
        # Read back as the caller sees it (links it may not see are kept, not shown).
        instance = self.context["view"].base_queryset().get(pk=instance.pk)
        return EngagementSerializer(instance, context=self.context).data


@extend_schema(tags=["engagements"])
@extend_schema_view(
    create=extend_schema(request=EngagementWriteSerializer, responses={201: EngagementSerializer},
                         summary="Record an engagement",
                         description="Under the admin form's rules: an officer's token records only engagements "
                                     "its department leads or takes part in."),
    update=extend_schema(request=EngagementWriteSerializer, responses={200: EngagementSerializer},
                         summary="Replace an engagement's values"),
    partial_update=extend_schema(request=EngagementWriteSerializer, responses={200: EngagementSerializer},
                                 summary="Change some of an engagement's values"),
)
class EngagementViewSet(PolicyViewSet):
    """Diplomatic engagements with target countries: the central record, each department changing its own."""

    model = Engagement
    country_field = "country__code"
    fiscal_year_field = "date"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_serializer_class(self):
        return EngagementWriteSerializer if self.action in ("create", "update", "partial_update") \
            else EngagementSerializer

    def base_queryset(self):
        user = self.request.user
        return Engagement.objects.select_related("country", "lead_department").prefetch_related(
            "participating_departments",
            Prefetch("projects_leveraged", queryset=access.visible(user, Project).order_by("reference")),
            Prefetch("key_messages_used", queryset=access.visible(user, KeyMessage).order_by("pk")))


def register_api():
    register("engagements", EngagementViewSet)
