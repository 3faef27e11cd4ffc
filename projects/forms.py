from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from .services import ensure_key_message_editable, validate_country_shares


class ProjectAdminForm(WagtailAdminModelForm):
    """The admin's project form: the country shares in the inline must add up to 100 %."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("country_shares")
        if formset is not None and all(f.is_valid() for f in formset.forms):
            shares = [
                f.cleaned_data["share"]
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("share") is not None
            ]
            try:
                validate_country_shares(shares)
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


class KeyMessageAdminForm(WagtailAdminModelForm):
    """A key message is written and corrected as a draft only; approval and retirement are actions of
    their own (``projects.services``), never a field of this form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("evidence_periods")
        if field is not None:
            # Reported periods only, labelled with their project and indicator; the project is checked on saving.
            from django.db.models import Q

            from .models import IndicatorPeriod

            field.queryset = (IndicatorPeriod.objects.filter(Q(actual_value__isnull=False) | ~Q(actual_text=""))
                              .select_related("indicator__result__project")
                              .order_by("indicator__result__project__reference", "indicator", "period_start"))
            field.label_from_instance = lambda p: f"{p.indicator.result.project.reference} · {p}"

    def clean(self):
        cleaned = super().clean()
        try:
            ensure_key_message_editable(self.instance)
        except ValidationError as exc:
            self.add_error(None, exc)
        project = cleaned.get("project")
        if project is not None and cleaned.get("evidence_periods"):
            from .results_services import validate_key_message_evidence

            try:
                validate_key_message_evidence(project=project, periods=cleaned["evidence_periods"])
            except ValidationError as exc:
                self.add_error("evidence_periods", exc)
        return cleaned
