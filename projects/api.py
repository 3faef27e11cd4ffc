"""The API's portfolio endpoints: implementing partners, projects and key messages.

Registered in ``ProjectsConfig.ready``; the framework is ``mcee.api`` (docs/api.md). What a caller
reads is what its role reads in the admin: a partner's token sees that partner's projects only, an
officer's token no project still in the pipeline, and key messages outside MCET are approved ones.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers

from mcee import access
from mcee.api.registry import register
from mcee.api.viewsets import ReadOnlyPolicyViewSet
from mcee.fiscal import FiscalYear
from mcee.i18n import localized

from .models import FundingLine, KeyMessage, Partner, Project, ProjectCountry


class PartnerSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField(help_text=_("In the language asked for (Accept-Language)."))

    class Meta:
        model = Partner
        fields = ["acronym", "acronym_fr", "name", "name_en", "name_fr", "organisation_type", "iati_ref",
                  "updated_at"]

    def get_name(self, partner) -> str:
        return str(localized(partner, "name"))


@extend_schema(tags=["portfolio"])
class PartnerViewSet(ReadOnlyPolicyViewSet):
    """Implementing partners (IOM, UNHCR, …)."""

    model = Partner
    serializer_class = PartnerSerializer
    lookup_field = "acronym"
    lookup_value_regex = "[^/]+"


class CountryShareSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code.code", help_text=_("ISO 3166-1 alpha-2."))

    class Meta:
        model = ProjectCountry
        fields = ["country", "share"]


class FundingLineSerializer(serializers.ModelSerializer):
    fiscal_year = serializers.SerializerMethodField(help_text=_("Federal fiscal year, e.g. 2024-25."))

    class Meta:
        model = FundingLine
        fields = ["fiscal_year", "planned", "disbursed"]

    def get_fiscal_year(self, line) -> str:
        return FiscalYear(line.fiscal_year).label


class ProjectSerializer(serializers.ModelSerializer):
    partner = serializers.CharField(source="partner.acronym", help_text=_("The implementing partner's acronym."))
    title = serializers.SerializerMethodField(help_text=_("In the language asked for (Accept-Language)."))
    status_label = serializers.CharField(source="get_status_display")
    size_category = serializers.CharField(help_text=_("small (under $250,000) or large."))
    countries = CountryShareSerializer(source="country_shares", many=True)
    priority_areas = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    funding = serializers.SerializerMethodField(
        help_text=_("Planned and disbursed per fiscal year; null for roles that do not read funding."))

    class Meta:
        model = Project
        fields = ["reference", "title", "title_en", "title_fr", "summary_en", "summary_fr", "partner", "status",
                  "status_label", "approved_amount", "size_category", "planned_start", "planned_end",
                  "actual_start", "actual_end", "countries", "priority_areas", "funding", "updated_at"]

    def get_title(self, project) -> str:
        return str(project.title)

    @extend_schema_field(FundingLineSerializer(many=True, allow_null=True))
    def get_funding(self, project):
        reads_funding = self.context.setdefault(
            "reads_funding", bool(access.can(self.context["request"].user, access.VIEW, FundingLine)))
        if not reads_funding:
            return None
        return FundingLineSerializer(project.funding_lines.all(), many=True).data


@extend_schema(tags=["portfolio"])
class ProjectViewSet(ReadOnlyPolicyViewSet):
    """MCEE projects, with their countries (shares), priority areas and funding by fiscal year."""

    model = Project
    serializer_class = ProjectSerializer
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"
    country_field = "country_shares__country__code"
    fiscal_year_field = "funding_lines__fiscal_year"
    fiscal_year_kind = "start_year"
    fiscal_year_help = "Projects with a funding line in this federal fiscal year, e.g. 2024-25."

    def base_queryset(self):
        return Project.objects.select_related("partner").prefetch_related(
            "priority_areas", Prefetch("country_shares", ProjectCountry.objects.select_related("country")),
            "funding_lines")


class KeyMessageSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.reference")
    country = serializers.CharField(source="country.code.code", help_text=_("ISO 3166-1 alpha-2."))
    text = serializers.SerializerMethodField(help_text=_("In the language asked for (Accept-Language)."))
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = KeyMessage
        fields = ["id", "project", "country", "text", "text_en", "text_fr", "evidence", "status", "status_label",
                  "approved_at", "updated_at"]

    def get_text(self, message) -> str:
        return str(message.text)


@extend_schema(tags=["portfolio"])
class KeyMessageViewSet(ReadOnlyPolicyViewSet):
    """Key messages for diplomatic use; outside MCET, approved ones only."""

    model = KeyMessage
    serializer_class = KeyMessageSerializer
    country_field = "country__code"

    def base_queryset(self):
        return KeyMessage.objects.select_related("project", "country")


def register_api():
    register("partners", PartnerViewSet)
    register("projects", ProjectViewSet)
    register("key-messages", KeyMessageViewSet)


