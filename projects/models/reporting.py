"""Partner reporting, kept light (the evaluation's Lesson 3): a schedule per project generates the reports
expected, each with its period and due date; the partner fills a short report (narrative, the actual of
each indicator for the period, risks, next steps) and submits it; MCET accepts it (its actuals are then
written into the indicator periods) or returns it with a comment. Every change of status is recorded.
Writes go through ``projects.reporting_services``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mcee.audit import AuditedMixin
from mcee.grants import grant_tables

from .portfolio import Project
from .results import VALUE, Indicator, period_label

LONGEST_DUE_DAYS = 180


class ReportFrequency(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly")
    SEMI_ANNUAL = "semi_annual", _("Semi-annual")
    ANNUAL = "annual", _("Annual")


# Months in a reporting period, by frequency; periods follow the fiscal year (April to March).
FREQUENCY_MONTHS = {ReportFrequency.QUARTERLY: 3, ReportFrequency.SEMI_ANNUAL: 6, ReportFrequency.ANNUAL: 12}


class ReportSchedule(AuditedMixin, models.Model):
    """How often a project's partner reports, and how many days after a period ends its report is due."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="report_schedule",
                                   verbose_name=_("project"))
    frequency = models.CharField(_("frequency"), max_length=20, choices=ReportFrequency.choices,
                                 default=ReportFrequency.SEMI_ANNUAL)
    due_days = models.PositiveSmallIntegerField(
        _("due (days after the period ends)"), default=30,
        help_text=_("For example 30: the report on a period ending 30 September is due on 30 October."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project"]
        verbose_name = _("report schedule")
        verbose_name_plural = _("report schedules")
        constraints = [
            models.CheckConstraint(condition=models.Q(frequency__in=ReportFrequency.values),
                                   name="report_schedule_frequency_known"),
            models.CheckConstraint(condition=models.Q(due_days__lte=LONGEST_DUE_DAYS),
                                   name="report_schedule_due_days_plausible"),
        ]

    def __str__(self):
        return f"{self.project.reference} · {self.get_frequency_display()}"

    def clean(self):
        if self.due_days is not None and self.due_days > LONGEST_DUE_DAYS:
            raise ValidationError({"due_days": _("A report is due at most %(days)s days after its period ends.")
                                   % {"days": LONGEST_DUE_DAYS}})


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("To be submitted")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned to the partner")
    ACCEPTED = "accepted", _("Accepted")


# The partner writes while the report is in one of these; MCET decides on a submitted one.
OPEN_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class PartnerReport(AuditedMixin, models.Model):
    """One report expected from a project's partner for one period: what the partner writes, nothing more.

    Narrative and risks feed the country briefs; the indicator actuals feed the results framework and the
    PMF; next steps tell MCET what to follow up with the partner."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partner_reports",
                                verbose_name=_("project"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT,
                              editable=False)
    narrative = models.TextField(_("progress in the period"), blank=True, max_length=4000,
                                 help_text=_("What was done and achieved, in a few paragraphs (used in country "
                                             "briefs)."))
    risks = models.TextField(_("risks and issues"), blank=True, max_length=2000,
                             help_text=_("What could delay or stop the project, and what is being done about it."))
    next_steps = models.TextField(_("next steps"), blank=True, max_length=2000,
                                  help_text=_("What the next period will do."))
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "project", "pk"]
        verbose_name = _("partner report")
        verbose_name_plural = _("partner reports")
        constraints = [
            models.UniqueConstraint(fields=["project", "period_start"], name="partner_report_once_per_period"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="partner_report_period_in_order"),
            models.CheckConstraint(condition=models.Q(due_on__gte=models.F("period_end")),
                                   name="partner_report_due_after_period"),
            models.CheckConstraint(condition=models.Q(status__in=ReportStatus.values),
                                   name="partner_report_status_known"),
            models.CheckConstraint(
                condition=models.Q(status__in=[ReportStatus.DRAFT]) | models.Q(submitted_at__isnull=False),
                name="partner_report_submission_recorded"),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="partner_report_status_due")]

    def __str__(self):
        return f"{self.project.reference} · {self.period_label}"

    @property
    def period_label(self) -> str:
        return period_label(self.period_start, self.period_end)

    @property
    def is_open(self) -> bool:
        """The partner may still write in it."""
        return self.status in OPEN_STATUSES

    def is_overdue(self, today) -> bool:
        """Not yet submitted (or returned and not resubmitted) after its due date. Due today is not late."""
        return self.status in OPEN_STATUSES and self.due_on < today

    def days_overdue(self, today) -> int:
        return max((today - self.due_on).days, 0) if self.is_overdue(today) else 0

    def clean(self):
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period ends before it starts.")
        if self.period_end and self.due_on and self.due_on < self.period_end:
            errors["due_on"] = _("A report is due after its period ends.")
        if errors:
            raise ValidationError(errors)


class PartnerReportValue(AuditedMixin, models.Model):
    """The actual of one of the project's indicators for the report's period, as the partner reports it."""

    report = models.ForeignKey(PartnerReport, on_delete=models.CASCADE, related_name="values",
                               verbose_name=_("partner report"))
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="reported_values",
                                  verbose_name=_("indicator"))
    value = models.DecimalField(_("actual"), null=True, blank=True, **VALUE)
    text = models.TextField(_("what was achieved (description)"), blank=True, max_length=2000)

    class Meta:
        ordering = ["report", "indicator"]
        verbose_name = _("reported value")
        verbose_name_plural = _("reported values")
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="partner_report_value_once")]

    def __str__(self):
        return f"{self.report} · {self.indicator}"


class PartnerReportTransition(AuditedMixin, models.Model):
    """One change of a report's status: from, to, who, when, and why. Written by the service only."""

    report = models.ForeignKey(PartnerReport, on_delete=models.CASCADE, related_name="transitions",
                               verbose_name=_("partner report"))
    from_status = models.CharField(_("from"), max_length=20, choices=ReportStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ReportStatus.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("by"))
    at = models.DateTimeField(_("on"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["report", "at", "pk"]
        verbose_name = _("report status change")
        verbose_name_plural = _("report status changes")

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


ReportScheduleUserObjectPermission, ReportScheduleGroupObjectPermission = grant_tables(ReportSchedule, __name__)
PartnerReportUserObjectPermission, PartnerReportGroupObjectPermission = grant_tables(PartnerReport, __name__)
PartnerReportValueUserObjectPermission, PartnerReportValueGroupObjectPermission = grant_tables(
    PartnerReportValue, __name__)
PartnerReportTransitionUserObjectPermission, PartnerReportTransitionGroupObjectPermission = grant_tables(
    PartnerReportTransition, __name__)
