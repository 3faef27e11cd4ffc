"""Dissemination (the evaluation's Recommendation 2b) in the admin, and the "Roles and dissemination"
menu that also holds the responsibility matrix.

MCET writes dissemination plans and records each distribution (what was sent, to which
departments, when; the sender is the user who records it). A department officer sees the
distributions sent to its departments and acknowledges receipt for its own department's row
(``services.dissemination``). The report ``dissemination-reach`` is in ``reports_dissemination``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Prefetch, Q
from django.forms import CheckboxSelectMultiple
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, InspectView, SnippetViewSetGroup

from mcee import access
from mcee.admin_access import ProtectedSnippetViewSet
from projects.models import KeyMessage, KeyMessageStatus

from .access import departments_acted_for
from .admin_responsibilities import ResponsibilityActivityViewSet, ResponsibilityViewSet, matrix_menu_item
from .models import DisseminationPlan, Distribution, DistributionRecipient
from .services.dissemination import distribution_acknowledge, distribution_problems, distribution_record

DistributionRecipient.panels = [FieldPanel("department")]


def key_message_label(message) -> str:
    return f"{message.country.code.code} · {message.project.reference} · {Truncator(str(message.text)).chars(120)}"


def _limit_key_messages(form, field_name: str) -> None:
    """Offer approved key messages only, and keep those linked before they were retired."""
    if field_name not in form.fields:
        return
    linked = set(getattr(form.instance, field_name).values_list("pk", flat=True)) if form.instance.pk else set()
    field = form.fields[field_name]
    field.queryset = (access.visible(form.for_user, KeyMessage)
                      .filter(Q(status=KeyMessageStatus.APPROVED) | Q(pk__in=linked))
                      .select_related("country", "project").order_by("country__code", "project__reference", "pk"))
    field.label_from_instance = key_message_label
    field.help_text = _("Only key messages approved for diplomatic use can be chosen.")


# --- Dissemination plans ---

class DisseminationPlanForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_key_messages(self, "key_messages")


class DisseminationPlanInspectView(InspectView):
    template_name = "engagements/dissemination_plan_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["audiences"] = self.object.audience_departments.all()
        context["plan_key_messages"] = access.visible(user, self.object.key_messages.select_related("country",
                                                                                                     "project"))
        context["distributions"] = with_visible_recipients(
            user, access.visible(user, self.object.distributions.select_related("country")))
        return context


class DisseminationPlanViewSet(ProtectedSnippetViewSet):
    model = DisseminationPlan
    icon = "mail"
    menu_label = _("Dissemination plans")
    inspect_view_class = DisseminationPlanInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["__str__", "starts_on", "ends_on", "channels"]
    search_fields = ["title_en", "title_fr", "objectives_en", "objectives_fr"]
    search_backend_name = None
    list_export = ["title_en", "title_fr", "context_en", "context_fr", "objectives_en", "objectives_fr",
                   "audience_groups", "recommendations_en", "recommendations_fr", "channels", "schedule",
                   "starts_on", "ends_on"]
    export_filename = "mcee-dissemination-plans"
    ordering = ["-starts_on"]
    panels = [
        MultiFieldPanel([FieldPanel("title_en"), FieldPanel("title_fr")], heading=_("Title")),
        MultiFieldPanel([FieldPanel("context_en"), FieldPanel("context_fr")], heading=_("Context")),
        MultiFieldPanel([FieldPanel("objectives_en"), FieldPanel("objectives_fr")],
                        heading=_("Dissemination objectives")),
        MultiFieldPanel([FieldPanel("audience_departments", widget=CheckboxSelectMultiple),
                         FieldPanel("audience_groups")], heading=_("Target audiences")),
        FieldPanel("key_messages", widget=CheckboxSelectMultiple),
        MultiFieldPanel([FieldPanel("recommendations_en"), FieldPanel("recommendations_fr")],
                        heading=_("Actionable recommendations")),
        MultiFieldPanel([FieldPanel("channels"), FieldPanel("schedule"),
                         FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")])],
                        heading=_("Channels and schedule")),
    ]

    def get_form_class(self, for_update=False):
        self._edit_handler.base_form_class = DisseminationPlanForm
        return super().get_form_class(for_update)


# --- Distributions and their acknowledgement ---

def with_visible_recipients(user, distributions):
    """Each distribution with the recipient rows this user may see (an officer: its own departments')."""
    return distributions.prefetch_related(Prefetch(
        "recipients", to_attr="visible_recipients",
        queryset=access.visible(user, DistributionRecipient).select_related("department")))


def recipient_state(recipient) -> str:
    """A department and whether it acknowledged, in words (never by colour alone)."""
    if recipient.acknowledged_at:
        return gettext("%(department)s: acknowledged on %(date)s") % {
            "department": recipient.department,
            "date": timezone.localtime(recipient.acknowledged_at).date().isoformat()}
    return gettext("%(department)s: not acknowledged yet") % {"department": recipient.department}


def recipients_summary(distribution) -> str:
    return "; ".join(recipient_state(r) for r in getattr(distribution, "visible_recipients", []))


class DistributionForm(WagtailAdminModelForm):
    """Checks what ``distribution_record`` refuses before anything is saved, then saves through it (the
    user recording a new distribution is its sender)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_key_messages(self, "key_messages")

    def _department_ids(self):
        formset = self.formsets.get("recipients")
        if formset is None:
            return []
        ids = []
        for form in formset.forms:
            if not form.is_valid() or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            if form.cleaned_data.get("department") is not None:
                ids.append(form.cleaned_data["department"].pk)
        return ids

    def clean(self):
        cleaned = super().clean()
        candidate = Distribution(pk=self.instance.pk, item=cleaned.get("item") or "", sent_on=cleaned.get("sent_on"))
        problems = distribution_problems(distribution=candidate, department_ids=self._department_ids(),
                                         key_messages=list(cleaned.get("key_messages") or []))
        for field, sentences in problems.items():
            for sentence in sentences:
                self.add_error(field if field in self.fields else None, sentence)
        return cleaned

    def save(self, commit=True):
        distribution = super().save(commit=False)
        if commit:
            distribution_record(distribution=distribution, user=self.for_user)
            self._save_m2m()
        return distribution


class _RecordsDistribution:
    """A problem found only when saving (someone changed the record meanwhile) is a form error."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            for field, sentences in exc.message_dict.items():
                for sentence in sentences:
                    form.add_error(field if field in form.fields else None, sentence)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class DistributionCreateView(_RecordsDistribution, CreateView):
    pass


class DistributionEditView(_RecordsDistribution, EditView):
    pass


class DistributionInspectView(InspectView):
    template_name = "engagements/distribution_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        acting = set(departments_acted_for(user).values_list("pk", flat=True))
        recipients = access.visible(user, self.object.recipients.select_related("department", "acknowledged_by"))
        context["recipients"] = [
            {"row": r, "may_acknowledge": r.acknowledged_at is None and r.department_id in acting}
            for r in recipients]
        context["distribution_key_messages"] = access.visible(
            user, self.object.key_messages.select_related("country", "project"))
        return context


class DistributionViewSet(ProtectedSnippetViewSet):
    model = Distribution
    icon = "mail"
    menu_label = _("Distributions")
    add_view_class = DistributionCreateView
    edit_view_class = DistributionEditView
    inspect_view_class = DistributionInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "sent_on",
        "title",
        "item",
        "country",
        Column("recipients", label=_("Sent to (acknowledgement)"), accessor=recipients_summary),
    ]
    list_filter = ["item", "country", "plan"]
    search_fields = ["title", "channel"]
    search_backend_name = None
    list_export = ["sent_on", "item", "title", "country_code", "channel", "plan_title"]
    export_headings = {"country_code": _("Country"), "plan_title": _("Dissemination plan")}
    export_filename = "mcee-distributions"
    ordering = ["-sent_on"]
    panels = [
        FieldRowPanel([FieldPanel("sent_on"), FieldPanel("item")]),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("plan"), FieldPanel("country")]),
        FieldPanel("channel"),
        FieldPanel("key_messages", widget=CheckboxSelectMultiple),
        InlinePanel("recipients", heading=_("Sent to"), label=_("Department"), min_num=1),
    ]

    def get_form_class(self, for_update=False):
        self._edit_handler.base_form_class = DistributionForm
        return super().get_form_class(for_update)

    def base_queryset(self):
        return (Distribution.objects.select_related("country", "plan")
                .annotate(country_code=F("country__code"), plan_title=F("plan__title_en")))

    def get_queryset(self, request):
        return with_visible_recipients(request.user, super().get_queryset(request))

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("acknowledge/<int:pk>/", acknowledge_view, name="acknowledge"),
        ]


def acknowledge_view(request, pk):
    """Acknowledge receipt (POST) of one recipient row: a row outside the user's reach is absent (404)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    recipient = access.visible(request.user, DistributionRecipient).filter(pk=pk).first()
    if recipient is None:
        raise Http404
    decision = access.can(request.user, access.CHANGE, recipient)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    try:
        distribution_acknowledge(recipient=recipient, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, gettext("Receipt acknowledged for %(department)s.")
                         % {"department": recipient.department})
    return redirect(Distribution.snippet_viewset.get_url_name("inspect"), recipient.distribution_id)


class RolesAndDisseminationGroup(SnippetViewSetGroup):
    menu_label = _("Roles and dissemination")
    menu_icon = "table"
    menu_order = 240
    items = (ResponsibilityViewSet, ResponsibilityActivityViewSet, DisseminationPlanViewSet, DistributionViewSet)

    def get_submenu_items(self):
        return [matrix_menu_item(order=0), *super().get_submenu_items()]


register_snippet(RolesAndDisseminationGroup)
