"""The API's country endpoints: countries with their current category, travel-document monthly
figures, and the travel-document batches (case level and monthly) that CBSA's systems push.

Registered in ``CountriesConfig.ready``; the framework is ``mcee.api`` (docs/api.md).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from mcee import access
from mcee.api import batches
from mcee.api.registry import register
from mcee.api.viewsets import PolicyViewSetMixin, ReadOnlyPolicyViewSet, api_audit

from .imports import (
    TD_CASE_COLUMNS,
    TD_CASES_KIND,
    TD_MONTHLY_COLUMNS,
    TD_MONTHLY_KIND,
    td_cases_import,
    td_monthly_import,
)
from .models import Category, Country, CountryClassification, Outcome, TravelDocumentCase, TravelDocumentMonth
from .selectors import country_list_with_classification


class CountrySerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="code.code", help_text=_("ISO 3166-1 alpha-2."))
    name = serializers.SerializerMethodField(help_text=_("In the language asked for (Accept-Language)."))
    category = serializers.SerializerMethodField(help_text=_("The category in effect today."))
    category_label = serializers.SerializerMethodField()
    category_since = serializers.DateField(read_only=True, allow_null=True,
                                           help_text=_("Effective date of the current category; null when the "
                                                       "country was never classified."))
    category_rationale = serializers.SerializerMethodField(
        help_text=_("Why the country has its category: for MCET and the RWG only, null for other roles."))

    class Meta:
        model = Country
        fields = ["code", "name", "category", "category_label", "category_since", "category_rationale",
                  "updated_at"]

    def get_name(self, country) -> str:
        return str(country.code.name)

    @extend_schema_field(serializers.ChoiceField(choices=Category.choices))
    def get_category(self, country):
        return country.category or Category.NOT_TARGETED

    def get_category_label(self, country) -> str:
        return str(Category(country.category or Category.NOT_TARGETED).label)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_category_rationale(self, country):
        if not access.can_see_field(self.context["request"].user, CountryClassification, "rationale"):
            return None
        return country.category_rationale


@extend_schema(tags=["countries"])
class CountryViewSet(ReadOnlyPolicyViewSet):
    """Countries the MCEE tracks, with the category in effect today (recalcitrant, preventive, …)."""

    model = Country
    serializer_class = CountrySerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2}"
    country_field = "code"

    def base_queryset(self):
        return country_list_with_classification()

    def get_object(self):
        self.kwargs[self.lookup_field] = self.kwargs[self.lookup_field].upper()
        return super().get_object()


def _count(**kwargs):
    # Declared rather than derived from the model, whose upper bound depends on the database (the
    # schema must be the same on SQLite and PostgreSQL).
    return serializers.IntegerField(min_value=0, read_only=True, **kwargs)


class TravelDocumentMonthSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code.code", help_text=_("ISO 3166-1 alpha-2."))
    month = serializers.SerializerMethodField(help_text=_("YYYY-MM."))
    requested, issued, refused, pending_end, removals = (_count() for _ in range(5))
    added_to_inventory = _count(allow_null=True)

    class Meta:
        model = TravelDocumentMonth
        fields = ["id", "country", "month", "requested", "issued", "refused", "pending_end", "added_to_inventory",
                  "removals", "updated_at"]

    def get_month(self, record) -> str:
        return f"{record.month:%Y-%m}"


# The rows of a batch, as documented in the schema. The values are checked by the import itself
# (countries.imports), with its messages; these serializers only describe them.
class TDMonthlyRowSerializer(serializers.Serializer):
    country = serializers.CharField(help_text=_("ISO 3166-1 alpha-2 of a recorded country."))
    month = serializers.CharField(help_text=_("YYYY-MM."))
    requested = serializers.IntegerField(min_value=0)
    issued = serializers.IntegerField(min_value=0)
    refused = serializers.IntegerField(min_value=0)
    pending_end = serializers.IntegerField(min_value=0)
    added_to_inventory = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    removals = serializers.IntegerField(min_value=0)


class TDMonthlyBatchSerializer(serializers.Serializer):
    rows = TDMonthlyRowSerializer(many=True, allow_empty=False, max_length=batches.MAX_BATCH_ROWS,
                                  help_text=_("At most 50,000 rows; the first is row 1 in errors."))


class TDCaseRowSerializer(serializers.Serializer):
    case_ref = serializers.CharField(max_length=100, help_text=_("CBSA's anonymized reference; never stored, "
                                                                 "only its keyed hash."))
    country = serializers.CharField(help_text=_("ISO 3166-1 alpha-2 of a recorded country."))
    requested_on = serializers.DateField()
    issued_on = serializers.DateField(required=False, allow_null=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    document_type = serializers.CharField(required=False, allow_blank=True, max_length=100)
    validity_days = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    interview_required = serializers.BooleanField(required=False)
    priority = serializers.CharField(required=False, allow_blank=True, max_length=50)


class TDCaseBatchSerializer(serializers.Serializer):
    rows = TDCaseRowSerializer(many=True, allow_empty=False, max_length=batches.MAX_BATCH_ROWS,
                                  help_text=_("At most 50,000 rows; the first is row 1 in errors."))


BATCH_RESPONSES = {
    201: batches.BatchResultSerializer,
    400: OpenApiResponse(batches.BatchRefusedSerializer,
                         description="The batch was refused: every problem, with its row, column and reason; "
                                     "nothing was written."),
}


class TDBatchMixin:
    batch_columns: list[str]
    batch_kind: str
    batch_sheet: str

    def import_batch(self, request, importer):
        # A batch creates and updates: the role needs both (the POST itself asked for "add").
        decision = access.can(request.user, access.CHANGE, self.policy_model())
        if not decision:
            raise exceptions.PermissionDenied(str(decision.reason))
        shape = batches.BatchSerializer(data=request.data)
        if not shape.is_valid():
            return Response({"detail": _("The batch was refused; nothing was written. Send an object whose “rows” "
                                         "is a list of 1 to 50,000 rows, each an object of column → value."),
                             "import_run": None, "errors": batches.shape_errors(shape.errors)},
                            status=status.HTTP_400_BAD_REQUEST)
        with api_audit(request):
            try:
                run, result = batches.run_batch(rows=shape.validated_data["rows"], columns=self.batch_columns,
                                                kind=self.batch_kind, sheet=self.batch_sheet, importer=importer,
                                                user=request.user)
            except batches.BatchRefused as refused:
                return Response({"detail": _("The batch was refused; nothing was written. Correct every row "
                                             "listed and send the whole batch again."),
                                 "import_run": refused.run.pk if refused.run else None,
                                 "errors": refused.errors}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"import_run": run.pk, "rows": len(shape.validated_data["rows"]), **result.counts()},
                        status=status.HTTP_201_CREATED)


@extend_schema(tags=["travel documents"])
class TravelDocumentMonthViewSet(TDBatchMixin, ReadOnlyPolicyViewSet):
    """CBSA's monthly travel-document figures per country."""

    model = TravelDocumentMonth
    serializer_class = TravelDocumentMonthSerializer
    country_field = "country__code"
    fiscal_year_field = "month"
    batch_columns, batch_kind, batch_sheet = TD_MONTHLY_COLUMNS, TD_MONTHLY_KIND, "td-monthly"

    def base_queryset(self):
        return TravelDocumentMonth.objects.select_related("country")

    def policy_model(self):
        return TravelDocumentMonth

    @extend_schema(request=TDMonthlyBatchSerializer, responses=BATCH_RESPONSES,
                   summary="Push monthly figures (all or nothing)",
                   description="Rows are matched on (country, month): new ones are created, known ones updated. "
                               "Checked like the file import `import_td --kind monthly`; one bad row and nothing "
                               "is written.")
    @action(detail=False, methods=["post"], url_path="batch")
    def batch(self, request):
        return self.import_batch(request, td_monthly_import)


@extend_schema(tags=["travel documents"])
class TravelDocumentCaseViewSet(TDBatchMixin, PolicyViewSetMixin, viewsets.GenericViewSet):
    """Anonymized travel-document cases: pushed in batches; read through the figures, not one by one."""

    model = TravelDocumentCase
    batch_columns, batch_kind, batch_sheet = TD_CASE_COLUMNS, TD_CASES_KIND, "td-cases"
    serializer_class = TDCaseBatchSerializer
    pagination_class = None

    @extend_schema(request=TDCaseBatchSerializer, responses=BATCH_RESPONSES,
                   summary="Push case-level data (all or nothing)",
                   description="Cases are matched on the keyed hash of case_ref: new ones are created, known ones "
                               "updated in place. Checked like the file import `import_td --kind cases`; one bad row "
                               "and nothing is written.")
    @action(detail=False, methods=["post"], url_path="batch")
    def batch(self, request):
        return self.import_batch(request, td_cases_import)


def register_api():
    register("countries", CountryViewSet)
    register("td-monthly", TravelDocumentMonthViewSet)
    register("td-cases", TravelDocumentCaseViewSet)
