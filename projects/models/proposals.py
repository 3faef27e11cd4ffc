"""Calls for proposals, proposals, their documents, reviews, RWG endorsement and the record of every
state change. The states and who may move a proposal between them are declared in ``projects.workflow``;
every change goes through ``projects.proposal_services``.
"""

import uuid
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

from countries.models import Country
from mcee.audit import AuditedMixin
from mcee.fiscal import FiscalYear
from mcee.grants import grant_tables
from mcee.i18n import localized

from .portfolio import MONEY, Partner, PriorityArea, Project, months_between


class CallForProposals(AuditedMixin, ClusterableModel):
    """A targeted call: what it seeks (countries, priority areas), when it is open, whom it was sent to.
    Proposals outside any call are unsolicited (their ``call`` is empty)."""

    title_en = models.CharField(_("title (English)"), max_length=255)
    title_fr = models.CharField(_("title (French)"), max_length=255, blank=True)
    countries = ParentalManyToManyField(Country, related_name="calls_for_proposals", blank=True,
                                        verbose_name=_("countries sought"))
    priority_areas = ParentalManyToManyField(PriorityArea, related_name="calls_for_proposals", blank=True,
                                             verbose_name=_("priority areas sought"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    outreach = ParentalManyToManyField(Partner, related_name="calls_for_proposals", blank=True,
                                       verbose_name=_("outreach list"),
                                       help_text=_("The organisations the call was sent to."))
    outreach_notes = models.TextField(_("other organisations reached"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "pk"]
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")),
                                   name="call_closes_after_it_opens"),
        ]

    def __str__(self):
        return str(self.title)

    @property
    def title(self):
        return localized(self, "title")

    def clean(self):
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("The call closes before it opens.")})


class ProposalState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SCREENING = "screening", _("Screening")
    IN_REVIEW = "in_review", _("In review")
    RECOMMENDED = "recommended", _("Recommended")
    NOT_RECOMMENDED = "not_recommended", _("Not recommended")
    RETURNED = "returned", _("Returned to the applicant for changes")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class Proposal(AuditedMixin, ClusterableModel):
    """A proposal from an organisation, in answer to a call or unsolicited."""

    call = models.ForeignKey(CallForProposals, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="proposals", verbose_name=_("call for proposals"),
                             help_text=_("Leave empty for an unsolicited proposal."))
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="proposals",
                                verbose_name=_("organisation"))
    title_en = models.CharField(_("title (English)"), max_length=255)
    title_fr = models.CharField(_("title (French)"), max_length=255, blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    priority_areas = ParentalManyToManyField(PriorityArea, related_name="proposals", blank=True,
                                             verbose_name=_("priority areas"))
    requested_amount = models.DecimalField(_("requested amount (CAD)"), **MONEY)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    state = models.CharField(_("state"), max_length=20, choices=ProposalState.choices, default=ProposalState.DRAFT,
                             editable=False)
    # While returned: the state the proposal was returned from, and goes back to when resubmitted.
    returned_from = models.CharField(_("returned from"), max_length=20, choices=ProposalState.choices, blank=True,
                                     editable=False)
    project = models.OneToOneField(Project, null=True, blank=True, on_delete=models.PROTECT, editable=False,
                                   related_name="proposal", verbose_name=_("project created on approval"))
    created_at = models.DateTimeField(_("created on"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.CheckConstraint(condition=models.Q(requested_amount__gte=0), name="proposal_amount_not_negative"),
            models.CheckConstraint(condition=models.Q(planned_end__gte=models.F("planned_start")),
                                   name="proposal_planned_end_after_start"),
            models.CheckConstraint(condition=models.Q(state__in=ProposalState.values), name="proposal_state_known"),
            models.CheckConstraint(
                condition=~models.Q(state=ProposalState.RETURNED) | ~models.Q(returned_from=""),
                name="proposal_returned_knows_where_from"),
            models.CheckConstraint(
                condition=~models.Q(state=ProposalState.APPROVED) | models.Q(project__isnull=False),
                name="proposal_approved_has_project"),
        ]

    def __str__(self):
        return f"{self.partner.acronym} · {self.title}"

    @property
    def title(self):
        return localized(self, "title")

    @property
    def summary(self):
        return localized(self, "summary")

    @property
    def duration_months(self) -> int | None:
        if self.planned_start and self.planned_end and self.planned_end >= self.planned_start:
            return months_between(self.planned_start, self.planned_end)
        return None

    def clean(self):
        errors = {}
        if self.requested_amount is not None and self.requested_amount < 0:
            errors["requested_amount"] = _("The requested amount cannot be negative.")
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("The planned end is before the planned start.")
        if errors:
            raise ValidationError(errors)


class ProposalCountry(AuditedMixin, models.Model):
    """A country the proposal would work in, with its share (shares add up to 100 on approval)."""

    proposal = ParentalKey(Proposal, on_delete=models.CASCADE, related_name="country_shares")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="proposal_shares",
                                verbose_name=_("country"))
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2, default=Decimal("100"))

    class Meta:
        ordering = ["-share", "country"]
        verbose_name = _("proposal country")
        verbose_name_plural = _("proposal countries")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "country"], name="proposal_country_once"),
            models.CheckConstraint(condition=models.Q(share__gt=0) & models.Q(share__lte=100),
                                   name="proposal_country_share_between_0_and_100"),
        ]

    def __str__(self):
        return f"{self.country.code.code} {self.share}%"

    def clean(self):
        if self.share is not None and not Decimal("0") < self.share <= Decimal("100"):
            raise ValidationError({"share": _("A country's share must be more than 0 % and at most 100 %.")})


class ProposalBudgetLine(AuditedMixin, models.Model):
    """The amount requested for one fiscal year; becomes the project's planned funding on approval."""

    proposal = ParentalKey(Proposal, on_delete=models.CASCADE, related_name="budget_lines")
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), help_text=_("The year the fiscal year starts in: 2024 means 2024-25."))
    amount = models.DecimalField(_("amount (CAD)"), default=Decimal("0"), **MONEY)

    class Meta:
        ordering = ["proposal", "fiscal_year"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "fiscal_year"], name="proposal_budget_once_per_year"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="proposal_budget_not_negative"),
            models.CheckConstraint(condition=models.Q(fiscal_year__gte=2000) & models.Q(fiscal_year__lte=2100),
                                   name="proposal_budget_fiscal_year_plausible"),
        ]

    def __str__(self):
        return f"{self.fiscal_year_label}: {self.amount}"

    @property
    def fiscal_year_label(self) -> str:
        return FiscalYear(self.fiscal_year).localized_label()

    def clean(self):
        errors = {}
        if self.amount is not None and self.amount < 0:
            errors["amount"] = _("A budget amount cannot be negative.")
        if self.fiscal_year is not None and not 2000 <= self.fiscal_year <= 2100:
            errors["fiscal_year"] = _("Write the fiscal year as the year it starts in, for example 2024.")
        if errors:
            raise ValidationError(errors)


def proposal_document_storage():
    """Private storage (never served): ``STORAGES["proposals"]`` when configured, else the private
    storage of uploaded import files (``STORAGES["imports"]``, under ``PRIVATE_MEDIA_ROOT``)."""
    return storages["proposals"] if "proposals" in settings.STORAGES else storages["imports"]


def proposal_document_name(instance, filename: str) -> str:
    """``proposals/2025/04/<random>/<the name as uploaded>``: two uploads of the same name never meet."""
    return str(PurePosixPath("proposals") / f"{timezone.now():%Y/%m}" / uuid.uuid4().hex
               / PurePosixPath(filename).name)


class ProposalDocument(AuditedMixin, models.Model):
    """A file attached to a proposal (PDF, Word or Excel), checked by type and size on upload
    (``projects.proposal_services.proposal_document_add``)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="documents",
                                 verbose_name=_("proposal"))
    file = models.FileField(_("file"), storage=proposal_document_storage, upload_to=proposal_document_name,
                            max_length=300)
    description = models.CharField(_("description"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded on"), default=timezone.now)

    class Meta:
        ordering = ["proposal", "uploaded_at", "pk"]
        verbose_name = _("proposal document")
        verbose_name_plural = _("proposal documents")

    def __str__(self):
        return self.file_name

    @property
    def file_name(self) -> str:
        return PurePosixPath(self.file.name).name if self.file else ""


class ProposalTransition(AuditedMixin, models.Model):
    """One change of a proposal's state: from, to, who, when, and why. Written only by the workflow
    service; never edited."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="transitions",
                                 verbose_name=_("proposal"))
    from_state = models.CharField(_("from"), max_length=20, choices=ProposalState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=ProposalState.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("by"))
    at = models.DateTimeField(_("on"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["proposal", "at", "pk"]
        verbose_name = _("proposal state change")
        verbose_name_plural = _("proposal state changes")
        indexes = [models.Index(fields=["proposal", "at"], name="proposal_transition_time")]

    def __str__(self):
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


class ProposalEndorsement(AuditedMixin, models.Model):
    """The Removals Working Group's endorsement of a proposal, needed before approving one that works in
    a recalcitrant country. Kept here (not as an RWG decision in ``engagements``) because projects may
    not depend on engagements; the meeting is named by its date and reference."""

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="endorsement",
                                    verbose_name=_("proposal"))
    meeting_date = models.DateField(_("RWG meeting date"))
    meeting_reference = models.CharField(_("RWG meeting reference"), max_length=100, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded on"), default=timezone.now)

    class Meta:
        verbose_name = _("RWG endorsement")
        verbose_name_plural = _("RWG endorsements")

    def __str__(self):
        return f"{self.meeting_date.isoformat()} {self.meeting_reference}".strip()


class Recommendation(models.TextChoices):
    RECOMMEND = "recommend", _("Recommend")
    NOT_RECOMMEND = "not_recommend", _("Do not recommend")


SCORE = {"validators": [MinValueValidator(1), MaxValueValidator(5)],
         "help_text": _("1 (weak) to 5 (strong).")}
CRITERIA = ("alignment", "country_need", "leverage", "partner_capacity", "value_for_money")


class Review(AuditedMixin, models.Model):
    """A reviewer's scores (1 to 5 on each criterion), comments and recommendation on a proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reviews",
                                 verbose_name=_("proposal"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                 editable=False, verbose_name=_("reviewer"))
    alignment = models.PositiveSmallIntegerField(_("alignment with priority areas"), **SCORE)
    country_need = models.PositiveSmallIntegerField(_("country need"), **SCORE)
    leverage = models.PositiveSmallIntegerField(_("leverage potential for removals cooperation"), **SCORE)
    partner_capacity = models.PositiveSmallIntegerField(_("partner capacity"), **SCORE)
    value_for_money = models.PositiveSmallIntegerField(_("value for money"), **SCORE)
    comments = models.TextField(_("comments"), blank=True)
    recommendation = models.CharField(_("recommendation"), max_length=20, choices=Recommendation.choices)
    created_at = models.DateTimeField(_("written on"), auto_now_add=True)

    class Meta:
        ordering = ["proposal", "created_at", "pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(*[models.Q(**{f"{c}__gte": 1, f"{c}__lte": 5}) for c in CRITERIA]),
                name="review_scores_1_to_5"),
            models.CheckConstraint(condition=models.Q(recommendation__in=Recommendation.values),
                                   name="review_recommendation_known"),
        ]

    def __str__(self):
        return f"{self.proposal} · {self.total}/25"

    @property
    def total(self) -> int:
        return sum(getattr(self, c) or 0 for c in CRITERIA)

    def clean(self):
        from projects.workflow import REVIEWABLE_STATES

        if self.proposal_id and self.pk is None and self.proposal.state not in REVIEWABLE_STATES:
            raise ValidationError(_("A proposal is reviewed while it is in review; this one is “%(state)s”.")
                                  % {"state": self.proposal.get_state_display()})


CallForProposalsUserObjectPermission, CallForProposalsGroupObjectPermission = grant_tables(CallForProposals, __name__)
ProposalUserObjectPermission, ProposalGroupObjectPermission = grant_tables(Proposal, __name__)
ProposalCountryUserObjectPermission, ProposalCountryGroupObjectPermission = grant_tables(ProposalCountry, __name__)
ProposalBudgetLineUserObjectPermission, ProposalBudgetLineGroupObjectPermission = grant_tables(
    ProposalBudgetLine, __name__)
ProposalDocumentUserObjectPermission, ProposalDocumentGroupObjectPermission = grant_tables(ProposalDocument, __name__)
ProposalTransitionUserObjectPermission, ProposalTransitionGroupObjectPermission = grant_tables(
    ProposalTransition, __name__)
ProposalEndorsementUserObjectPermission, ProposalEndorsementGroupObjectPermission = grant_tables(
    ProposalEndorsement, __name__)
ReviewUserObjectPermission, ReviewGroupObjectPermission = grant_tables(Review, __name__)
