"""Admin forms for the Removals Working Group: a decision is recorded with what it changes."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from countries.models import Category, CountryClassification

from . import services
from .models import DecisionKind, EngagementPlan, EscalationLevel, EscalationStep, PlanStatus

KIND_FIELDS = {
    DecisionKind.CLASSIFY: ["category", "effective_date", "rationale"],
    DecisionKind.APPROVE_PLAN: ["plan_to_approve"],
    DecisionKind.REVISE_PLAN: ["plan_to_approve"],
    DecisionKind.ESCALATE: ["level", "effective_date"],
    DecisionKind.PROGRESS: ["summary"],
}


class RWGDecisionForm(WagtailAdminModelForm):
    category = forms.ChoiceField(label=_("New category"), choices=[("", "—")] + list(Category.choices),
                                 required=False)
    effective_date = forms.DateField(label=_("Takes effect on"), required=False, widget=AdminDateInput)
    rationale = forms.CharField(label=_("Rationale"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=_("Visible to MCET and the RWG only."))
    plan_to_approve = forms.ModelChoiceField(label=_("Draft plan to approve"), required=False,
                                             queryset=EngagementPlan.objects.filter(status=PlanStatus.DRAFT))
    level = forms.TypedChoiceField(label=_("Escalation step"), coerce=int, required=False, empty_value=None,
                                   choices=[("", "—")] + list(EscalationLevel.choices))
    cabinet_approval_date = forms.DateField(label=_("Cabinet approval date"), required=False,
                                            widget=AdminDateInput)
    cabinet_approval_reference = forms.CharField(label=_("Cabinet approval reference"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # a decision is a record: only its summary can be corrected
            for name, field in self.fields.items():
                if name != "summary":
                    field.disabled = True
                    field.required = False

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            return cleaned
        kind = cleaned.get("kind")
        for name in KIND_FIELDS.get(kind, []):
            if cleaned.get(name) in (None, ""):
                self.add_error(name, _("This decision needs this field."))
        country, meeting = cleaned.get("country"), cleaned.get("meeting")
        if self.errors or country is None or meeting is None:
            return cleaned
        # Check what the service will write, without writing it.
        try:
            if kind == DecisionKind.CLASSIFY:
                CountryClassification(country=country, category=cleaned["category"],
                                      effective_date=cleaned["effective_date"],
                                      rationale=cleaned.get("rationale", "")).full_clean()
                if cleaned["effective_date"] < meeting.date:
                    self.add_error("effective_date", _("A classification decided at a meeting takes effect on "
                                                       "the meeting's date or later."))
            elif kind == DecisionKind.ESCALATE:
                EscalationStep(country=country, level=cleaned["level"], effective_date=cleaned["effective_date"],
                               rationale=cleaned.get("rationale", ""),
                               cabinet_approval_date=cleaned.get("cabinet_approval_date"),
                               cabinet_approval_reference=cleaned.get("cabinet_approval_reference", "")
                               ).full_clean()
            elif kind in (DecisionKind.APPROVE_PLAN, DecisionKind.REVISE_PLAN):
                plan = cleaned["plan_to_approve"]
                if plan.country_id != country.pk:
                    self.add_error("plan_to_approve", _("This plan is for another country."))
                elif not plan.indicators.exists():
                    self.add_error("plan_to_approve", _("A plan needs at least one indicator with a baseline and "
                                                        "a target before it can be approved."))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                target = field if field in self.fields else None
                for message in messages:
                    self.add_error(target, message)
        return cleaned

    def save(self, commit=True):
        if self.instance.pk:
            return super().save(commit)
        data, user = self.cleaned_data, self.for_user
        common = {"meeting": data["meeting"], "country": data["country"], "summary": data.get("summary", ""),
                  "user": user}
        kind = data["kind"]
        if kind == DecisionKind.CLASSIFY:
            decision = services.rwg_decide_classification(
                category=data["category"], effective_date=data["effective_date"], rationale=data["rationale"],
                **common)
        elif kind in (DecisionKind.APPROVE_PLAN, DecisionKind.REVISE_PLAN):
            decision = services.rwg_approve_plan(meeting=data["meeting"], plan=data["plan_to_approve"],
                                                 summary=data.get("summary", ""), user=user)
        elif kind == DecisionKind.ESCALATE:
            decision = services.rwg_decide_escalation(
                level=data["level"], effective_date=data["effective_date"], rationale=data.get("rationale", ""),
                cabinet_approval_date=data.get("cabinet_approval_date"),
                cabinet_approval_reference=data.get("cabinet_approval_reference", ""), **common)
        else:
            decision = services.rwg_note_progress(**common)
        self.instance = decision
        return decision


class EngagementPlanForm(WagtailAdminModelForm):
    """Drafts are edited; approved and superseded versions are records and stay as they were."""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            status = type(self.instance).objects.filter(pk=self.instance.pk).values_list("status", flat=True).first()
            if status != PlanStatus.DRAFT:
                raise ValidationError(_("An approved or superseded plan cannot be changed. Start a new version "
                                        "instead (the “New version” button)."))
        return cleaned

    def save(self, commit=True):
        if self.instance.pk is None:
            self.instance.version = services.next_plan_version(self.instance.country)
            self.instance.status = PlanStatus.DRAFT
            if self.for_user is not None and self.for_user.is_authenticated:
                self.instance.created_by = self.for_user
        return super().save(commit)
