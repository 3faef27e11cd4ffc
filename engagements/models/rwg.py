"""The Removals Working Group: meetings, typed decisions, engagement plans and the escalation ladder.

They live here, not in ``countries``, because a plan counts on MCEE projects and is approved by an
RWG decision: ``engagements`` is the app above both countries and projects.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

from countries.models import Country, CountryClassification
from mcee.audit import AuditedMixin
from mcee.grants import grant_tables
from mcee.i18n import localized
from projects.models import Project

from .base import Department


class MeetingLevel(models.TextChoices):
    ADM = "adm", _("ADM Removals Working Group")
    DG = "dg", _("DG steering committee")
    OPERATIONAL = "operational", _("Operational level")


class RWGMeeting(AuditedMixin, ClusterableModel):
    """A meeting of the Removals Working Group at one of its three levels."""

    date = models.DateField(_("date"))
    level = models.CharField(_("level"), max_length=20, choices=MeetingLevel.choices)
    attending_departments = ParentalManyToManyField(Department, related_name="rwg_meetings", blank=True,
                                                    verbose_name=_("departments attending"))
    # A plain many-to-many: modelcluster sorts related objects in memory by their ordering, and a
    # country's ordering field (an ISO code object) does not sort in Python.
    agenda_countries = models.ManyToManyField(Country, related_name="rwg_meetings", blank=True,
                                              verbose_name=_("countries on the agenda"))
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("RWG meeting")
        verbose_name_plural = _("RWG meetings")
        constraints = [models.UniqueConstraint(fields=["date", "level"], name="one_rwg_meeting_per_level_and_day")]

    def __str__(self):
        return f"{self.get_level_display()} — {self.date.isoformat()}"


class EscalationLevel(models.IntegerChoices):
    """The escalation ladder, in order. The last step needs Cabinet approval."""

    POSITIVE_ENGAGEMENT = 1, _("Positive engagement")
    DIPLOMATIC_PRESSURE = 2, _("Increased diplomatic pressure")
    FIRMER_TONE = 3, _("Firmer tone")
    REDUCE_INCENTIVES = 4, _("Reduce or limit positive incentives")
    PUBLIC_NAMING = 5, _("Public naming")
    VISA_MEASURES = 6, _("Visa measures (Cabinet approval required)")


CABINET_LEVELS = (EscalationLevel.VISA_MEASURES,)


class EscalationStep(AuditedMixin, models.Model):
    """A country's move to a step of the escalation ladder; the latest in effect is its current step."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="escalation_steps",
                                verbose_name=_("country"))
    level = models.PositiveSmallIntegerField(_("step"), choices=EscalationLevel.choices)
    effective_date = models.DateField(_("effective date"))
    rationale = models.TextField(_("rationale"), blank=True)
    cabinet_approval_date = models.DateField(_("Cabinet approval date"), null=True, blank=True)
    cabinet_approval_reference = models.CharField(_("Cabinet approval reference"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["country", "-effective_date"]
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")
        constraints = [
            models.UniqueConstraint(fields=["country", "effective_date"], name="one_escalation_step_per_day"),
            models.CheckConstraint(condition=models.Q(level__gte=1) & models.Q(level__lte=6),
                                   name="escalation_level_on_the_ladder"),
            models.CheckConstraint(
                condition=~models.Q(level__in=[int(level) for level in CABINET_LEVELS])
                | (models.Q(cabinet_approval_date__isnull=False) & ~models.Q(cabinet_approval_reference="")),
                name="visa_measures_need_cabinet_approval"),
        ]

    def __str__(self):
        return f"{self.country.code.code}: {self.get_level_display()} ({self.effective_date.isoformat()})"

    def clean(self):
        if self.level in CABINET_LEVELS and not (self.cabinet_approval_date and self.cabinet_approval_reference):
            raise ValidationError({"cabinet_approval_reference": _(
                "Visa measures can be recorded only with the Cabinet approval that allows them: give its date "
                "and reference.")})
        if (self.cabinet_approval_date and self.effective_date
                and self.cabinet_approval_date > self.effective_date):
            raise ValidationError({"cabinet_approval_date": _(
                "Cabinet approval must come before the step takes effect.")})


class PlanType(models.TextChoices):
    RREP = "rrep", _("Removals and Repatriation Engagement Plan (RREP)")
    PREVENTIVE = "preventive", _("Preventive engagement plan")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded")


class EngagementPlan(AuditedMixin, ClusterableModel):
    """One version of a country's engagement plan. Approved versions are never edited: a revision
    is a new version, approved by an RWG decision, which supersedes the one before."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="engagement_plans",
                                verbose_name=_("country"))
    version = models.PositiveSmallIntegerField(_("version"))
    plan_type = models.CharField(_("type"), max_length=20, choices=PlanType.choices)
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    objectives_en = models.TextField(_("objectives (English)"))
    objectives_fr = models.TextField(_("objectives (French)"), blank=True)
    incentive_projects = ParentalManyToManyField(Project, related_name="engagement_plans", blank=True,
                                                 verbose_name=_("positive incentives (MCEE projects)"))
    negative_levers = models.TextField(_("negative levers"), blank=True,
                                       help_text=_("Visible to MCET and the RWG only."))
    review_date = models.DateField(_("review date"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "-version"]
        verbose_name = _("engagement plan")
        verbose_name_plural = _("engagement plans")
        constraints = [
            models.UniqueConstraint(fields=["country", "version"], name="one_plan_version_per_country"),
            models.UniqueConstraint(fields=["country"], condition=models.Q(status="approved"),
                                    name="one_approved_plan_per_country"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="plan_version_from_1"),
        ]

    def __str__(self):
        return f"{self.country.code.code} v{self.version} ({self.get_status_display()})"

    @property
    def objectives(self):
        return localized(self, "objectives")


class PlanIndicator(AuditedMixin, models.Model):
    """An indicator of a plan, with its baseline and target (the evaluation found these missing)."""

    plan = ParentalKey(EngagementPlan, on_delete=models.CASCADE, related_name="indicators")
    name_en = models.CharField(_("indicator (English)"), max_length=255)
    name_fr = models.CharField(_("indicator (French)"), max_length=255, blank=True)
    unit = models.CharField(_("unit"), max_length=50, help_text=_("For example: days, %, travel documents."))
    baseline_value = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    baseline_date = models.DateField(_("baseline date"))
    target_value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    target_date = models.DateField(_("target date"))

    class Meta:
        ordering = ["plan", "pk"]
        verbose_name = _("plan indicator")
        verbose_name_plural = _("plan indicators")
        constraints = [
            models.CheckConstraint(condition=models.Q(target_date__gte=models.F("baseline_date")),
                                   name="indicator_target_after_baseline"),
        ]

    def __str__(self):
        return str(localized(self, "name"))

    def clean(self):
        if self.baseline_date and self.target_date and self.target_date < self.baseline_date:
            raise ValidationError({"target_date": _("The target date is before the baseline date.")})


class DecisionKind(models.TextChoices):
    CLASSIFY = "classify", _("Classify a country")
    APPROVE_PLAN = "approve_plan", _("Approve an engagement plan")
    REVISE_PLAN = "revise_plan", _("Approve a revised engagement plan")
    ESCALATE = "escalate", _("Move a country on the escalation ladder")
    PROGRESS = "progress", _("Note progress")


class RWGDecision(AuditedMixin, models.Model):
    """A decision of an RWG meeting, linked to what it changed."""

    meeting = ParentalKey(RWGMeeting, on_delete=models.PROTECT, related_name="decisions",
                          verbose_name=_("meeting"))
    kind = models.CharField(_("kind"), max_length=20, choices=DecisionKind.choices)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="rwg_decisions",
                                verbose_name=_("country"))
    summary = models.TextField(_("summary"), blank=True)
    classification = models.OneToOneField(CountryClassification, null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="rwg_decision", verbose_name=_("classification made"))
    plan = models.ForeignKey(EngagementPlan, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="rwg_decisions", verbose_name=_("plan approved"))
    escalation_step = models.OneToOneField(EscalationStep, null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="rwg_decision", verbose_name=_("escalation step decided"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-meeting__date", "pk"]
        verbose_name = _("RWG decision")
        verbose_name_plural = _("RWG decisions")
        constraints = [
            # A decision links to exactly what its kind changes.
            models.CheckConstraint(
                condition=(models.Q(kind="classify", classification__isnull=False, plan__isnull=True,
                                    escalation_step__isnull=True)
                           | models.Q(kind__in=["approve_plan", "revise_plan"], plan__isnull=False,
                                      classification__isnull=True, escalation_step__isnull=True)
                           | models.Q(kind="escalate", escalation_step__isnull=False, classification__isnull=True,
                                      plan__isnull=True)
                           | models.Q(kind="progress", classification__isnull=True, plan__isnull=True,
                                      escalation_step__isnull=True)),
                name="rwg_decision_links_what_it_changed"),
        ]

    def __str__(self):
        return f"{self.meeting.date.isoformat()} {self.country.code.code}: {self.get_kind_display()}"


RWGMeetingUserObjectPermission, RWGMeetingGroupObjectPermission = grant_tables(RWGMeeting, __name__)
RWGDecisionUserObjectPermission, RWGDecisionGroupObjectPermission = grant_tables(RWGDecision, __name__)
EngagementPlanUserObjectPermission, EngagementPlanGroupObjectPermission = grant_tables(EngagementPlan, __name__)
PlanIndicatorUserObjectPermission, PlanIndicatorGroupObjectPermission = grant_tables(PlanIndicator, __name__)
EscalationStepUserObjectPermission, EscalationStepGroupObjectPermission = grant_tables(EscalationStep, __name__)
