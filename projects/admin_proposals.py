"""Calls for proposals, proposals and reviews in the Wagtail admin (menu group "Proposals").

The proposal's page shows its state history and a button for each transition the user may take now
(``projects.workflow``); the buttons, the RWG endorsement and document uploads post to small views that
call ``projects.proposal_services`` and report a refusal on the proposal's page.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, InspectView, SnippetViewSetGroup

from mcee import access
from mcee.admin_access import ProtectedSnippetViewSet
from mcee.admin_columns import MoneyColumn

from . import proposal_services
from .models import (
    CallForProposals,
    Proposal,
    ProposalBudgetLine,
    ProposalCountry,
    ProposalDocument,
    ProposalEndorsement,
    ProposalState,
    Review,
)
from .workflow import FINAL_STATES, REVIEWABLE_STATES, rwg_endorsement_if_recalcitrant

ProposalCountry.panels = [FieldRowPanel([FieldPanel("country"), FieldPanel("share")])]
ProposalBudgetLine.panels = [FieldRowPanel([FieldPanel("fiscal_year"), FieldPanel("amount")])]


class CallForProposalsViewSet(ProtectedSnippetViewSet):
    model = CallForProposals
    icon = "doc-full-inverse"
    menu_label = _("Calls for proposals")
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [Column("title", label=_("Title")), "opens_on", "closes_on"]
    search_fields = ["title_en", "title_fr"]
    search_backend_name = None
    list_export = ["title_en", "title_fr", "opens_on", "closes_on", "outreach_notes"]
    export_filename = "mcee-calls-for-proposals"
    ordering = ["-opens_on", "pk"]
    panels = [
        FieldPanel("title_en"), FieldPanel("title_fr"),
        FieldRowPanel([FieldPanel("opens_on"), FieldPanel("closes_on")]),
        FieldPanel("countries", widget=forms.CheckboxSelectMultiple),
        FieldPanel("priority_areas", widget=forms.CheckboxSelectMultiple),
        FieldPanel("outreach", widget=forms.CheckboxSelectMultiple),
        FieldPanel("outreach_notes"),
    ]


def call_label(proposal):
    return str(proposal.call) if proposal.call_id else str(_("Unsolicited"))


class ProposalInspectView(InspectView):
    template_name = "projects/proposal_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        proposal, user = self.object, self.request.user
        endorsement = ProposalEndorsement.objects.filter(proposal=proposal).select_related("recorded_by").first()
        context.update({
            "transitions": proposal.transitions.select_related("user"),
            "available": proposal_services.available_transitions(proposal=proposal, user=user),
            "countries": proposal.country_shares.select_related("country"),
            "budget_lines": proposal.budget_lines.all(),
            "documents": proposal.documents.select_related("uploaded_by"),
            "reviews": access.visible(user, Review.objects.filter(proposal=proposal).select_related("reviewer")),
            "endorsement": endorsement,
            "endorsement_needed": (rwg_endorsement_if_recalcitrant(proposal, None)
                                   if endorsement is None and proposal.state not in FINAL_STATES else None),
            "may_endorse": (endorsement is None and proposal.state not in FINAL_STATES
                            and bool(access.can(user, access.ADD, ProposalEndorsement))),
            "may_attach": bool(access.can(user, access.ADD, ProposalDocument)),
            "may_review": (proposal.state in REVIEWABLE_STATES and bool(access.can(user, access.ADD, Review))),
            "max_megabytes": f"{proposal_services.max_document_bytes() / 1024 / 1024:g}",
        })
        return context


class ProposalEditView(EditView):
    def get(self, request, *args, **kwargs):
        if self.object.state not in (ProposalState.DRAFT, ProposalState.RETURNED):
            messages.warning(request, _("This proposal is past the draft stage: change what the applicant "
                                        "proposed only when they asked for it (return it to them first)."))
        return super().get(request, *args, **kwargs)


class ProposalViewSet(ProtectedSnippetViewSet):
    model = Proposal
    icon = "doc-full"
    menu_label = _("Proposals")
    inspect_view_class = ProposalInspectView
    edit_view_class = ProposalEditView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        Column("title", label=_("Title")),
        "partner",
        Column("call", label=_("Call for proposals"), accessor=call_label),
        "state",
        MoneyColumn("requested_amount", label=_("Requested amount"), sort_key="requested_amount"),
    ]
    list_filter = ["state", "call"]
    search_fields = ["title_en", "title_fr", "summary_en", "summary_fr", "partner__acronym"]
    search_backend_name = None
    list_export = ["title_en", "title_fr", "partner.acronym", "call", "state", "requested_amount",
                   "planned_start", "planned_end", "created_at"]
    export_headings = {"partner.acronym": _("Organisation"), "call": _("Call for proposals")}
    export_filename = "mcee-proposals"
    ordering = ["-created_at", "-pk"]
    panels = [
        MultiFieldPanel([FieldPanel("call"), FieldPanel("partner")], heading=_("Call and organisation")),
        MultiFieldPanel([FieldPanel("title_en"), FieldPanel("title_fr"), FieldPanel("summary_en"),
                         FieldPanel("summary_fr")], heading=_("Title and summary")),
        MultiFieldPanel([FieldPanel("requested_amount"),
                         FieldRowPanel([FieldPanel("planned_start"), FieldPanel("planned_end")])],
                        heading=_("Amount and duration")),
        FieldPanel("priority_areas", widget=forms.CheckboxSelectMultiple),
        InlinePanel("country_shares", heading=_("Countries (shares add up to 100 %)"), label=_("Country"),
                    min_num=1),
        InlinePanel("budget_lines", heading=_("Budget by fiscal year"), label=_("Budget line")),
    ]

    def base_queryset(self):
        return Proposal.objects.select_related("partner", "call")

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("transition/<int:pk>/", proposal_transition_view, name="transition"),
            path("endorse/<int:pk>/", proposal_endorse_view, name="endorse"),
            path("attach/<int:pk>/", proposal_attach_view, name="attach"),
            path("document/<int:pk>/", proposal_document_view, name="document"),
        ]


def _visible_proposal(request, pk):
    proposal = access.visible(request.user, Proposal).filter(pk=pk).first()
    if proposal is None:
        raise Http404
    return proposal


def _back(pk):
    return redirect(Proposal.snippet_viewset.get_url_name("inspect"), pk)


def _posted(view):
    def wrapped(request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        proposal = _visible_proposal(request, pk)
        try:
            done = view(request, proposal)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done)
        return _back(proposal.pk)

    wrapped.__name__ = view.__name__
    return wrapped


@_posted
def proposal_transition_view(request, proposal):
    if not access.can(request.user, access.CHANGE, proposal):
        raise PermissionDenied
    moved = proposal_services.proposal_transition(proposal=proposal, to_state=request.POST.get("to_state", ""),
                                                  user=request.user, comment=request.POST.get("comment", ""))
    if moved.project_id:
        return _("The proposal is approved; project %(reference)s is created.") % {
            "reference": moved.project.reference}
    return _("The proposal is now “%(state)s”.") % {"state": moved.get_state_display()}


@_posted
def proposal_endorse_view(request, proposal):
    meeting_date = parse_date(request.POST.get("meeting_date", "") or "")
    if meeting_date is None:
        raise ValidationError(_("Give the date of the RWG meeting that endorsed the proposal (YYYY-MM-DD)."))
    proposal_services.proposal_endorse(proposal=proposal, user=request.user, meeting_date=meeting_date,
                                       meeting_reference=request.POST.get("meeting_reference", ""),
                                       comment=request.POST.get("comment", ""))
    return _("The RWG's endorsement is recorded.")


@_posted
def proposal_attach_view(request, proposal):
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError(_("Choose a file to attach."))
    proposal_services.proposal_document_add(proposal=proposal, file=upload, user=request.user,
                                            description=request.POST.get("description", ""))
    return _("The document is attached.")


def proposal_document_view(request, pk):
    """Download an attached document: only for those who may see it; the file has no public address."""
    document = access.visible(request.user, ProposalDocument).filter(pk=pk).first()
    if document is None:
        raise Http404
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.file_name)


class ReviewForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "proposal" in self.fields:
            proposals = access.visible(self.for_user, Proposal)
            if not self.instance.pk:
                proposals = proposals.filter(state__in=REVIEWABLE_STATES)
            self.fields["proposal"].queryset = proposals.select_related("partner")


class ReviewCreateView(CreateView):
    def get_initial_form_instance(self):
        review = Review(reviewer=self.request.user)
        proposal_id = self.request.GET.get("proposal", "")
        if proposal_id.isdigit():
            review.proposal = access.visible(self.request.user, Proposal).filter(pk=int(proposal_id)).first()
        return review


def review_total(review):
    return f"{review.total}/25"


class ReviewViewSet(ProtectedSnippetViewSet):
    model = Review
    icon = "form"
    menu_label = _("Reviews")
    add_view_class = ReviewCreateView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        Column("proposal", label=_("Proposal")),
        Column("reviewer", label=_("Reviewer")),
        Column("total", label=_("Score (out of 25)"), accessor=review_total),
        "recommendation",
        "created_at",
    ]
    list_filter = ["recommendation"]
    list_export = ["proposal.title_en", "alignment", "country_need", "leverage", "partner_capacity",
                   "value_for_money", "total", "recommendation", "comments", "created_at"]
    export_headings = {"proposal.title_en": _("Proposal"), "total": _("Score (out of 25)")}
    export_filename = "mcee-proposal-reviews"
    ordering = ["-created_at", "-pk"]
    panels = [
        FieldPanel("proposal", widget=forms.Select),
        MultiFieldPanel([FieldPanel("alignment"), FieldPanel("country_need"), FieldPanel("leverage"),
                         FieldPanel("partner_capacity"), FieldPanel("value_for_money")],
                        heading=_("Scores (1 weak to 5 strong)")),
        FieldPanel("comments"),
        FieldPanel("recommendation"),
    ]

    def get_form_class(self, for_update=False):
        self._edit_handler.base_form_class = ReviewForm
        return super().get_form_class(for_update)

    def base_queryset(self):
        return Review.objects.select_related("proposal__partner", "reviewer")


class ProposalsGroup(SnippetViewSetGroup):
    menu_label = _("Proposals")
    menu_icon = "doc-full"
    menu_order = 210
    items = (CallForProposalsViewSet, ProposalViewSet, ReviewViewSet)


register_snippet(ProposalsGroup)
