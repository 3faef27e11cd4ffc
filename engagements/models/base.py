from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

from countries.models import Country
from mcee.audit import AuditedMixin
from mcee.grants import grant_tables
from mcee.i18n import localized
from projects.models import KeyMessage, Project


class Department(AuditedMixin, models.Model):
    """A federal department or agency taking part in removals cooperation."""

    code = models.SlugField(_("code"), unique=True)
    acronym_en = models.CharField(_("acronym (English)"), max_length=20)
    acronym_fr = models.CharField(_("acronym (French)"), max_length=20)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    reminder_email = models.EmailField(
        _("reminder mailbox"), blank=True,
        help_text=_("A shared mailbox that also receives the department's follow-up reminders (optional)."))

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        permissions = [("act_for_department", _("Act for this department (log and change its engagements)"))]

    def __str__(self):
        return str(localized(self, "acronym"))

    @property
    def name(self):
        return localized(self, "name")


class EngagementStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class EngagementKind(models.TextChoices):
    OTTAWA_BILATERAL = "ottawa_bilateral", _("Bilateral meeting in Ottawa with the head of mission")
    IN_COUNTRY_BILATERAL = "in_country_bilateral", _("Bilateral meeting in the country")
    MULTILATERAL = "multilateral", _("Multilateral forum")
    LIKE_MINDED = "like_minded", _("Like-minded partners (e.g. Migration Five)")
    MINISTERIAL_VISIT = "ministerial_visit", _("Ministerial visit")
    OTHER = "other", _("Other")


class EngagementLevel(models.TextChoices):
    MINISTER = "minister", _("Minister")
    DEPUTY = "deputy", _("Deputy minister")
    ADM = "adm", _("Assistant deputy minister")
    DG = "dg", _("Director general")
    DIRECTOR = "director", _("Director")
    OFFICER = "officer", _("Officer")


class Engagement(AuditedMixin, ClusterableModel):
    """A diplomatic engagement with a target country, past or planned: the central record."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="engagements",
                                verbose_name=_("country"))
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=20, choices=EngagementStatus.choices,
                              default=EngagementStatus.PLANNED)
    kind = models.CharField(_("kind"), max_length=30, choices=EngagementKind.choices)
    level = models.CharField(_("level"), max_length=20, choices=EngagementLevel.choices)
    lead_department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="led_engagements",
                                        verbose_name=_("lead department"))
    participating_departments = ParentalManyToManyField(
        Department, related_name="engagements", blank=True, verbose_name=_("participating departments"))
    counterpart_institution = models.CharField(_("counterpart institution"), max_length=200, blank=True)
    counterpart_title = models.CharField(_("counterpart title"), max_length=200, blank=True,
                                         help_text=_("A title only, never a person's name."))
    summary = models.TextField(_("summary"), blank=True)
    removals_raised = models.BooleanField(_("removals or travel documents raised"), default=False)
    projects_leveraged = ParentalManyToManyField(Project, related_name="engagements", blank=True,
                                                 verbose_name=_("MCEE projects leveraged"))
    no_project_leveraged = models.BooleanField(
        _("no MCEE project was used"), default=False,
        help_text=_("Tick when the engagement used none of the MCEE projects in the country, so that "
                    "\"none\" is recorded rather than left unknown."))
    key_messages_used = ParentalManyToManyField(KeyMessage, related_name="engagements", blank=True,
                                                verbose_name=_("key messages used"))
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("lead officer"),
        help_text=_("Receives the reminder before the engagement, with the country's key messages."))
    outcome = models.TextField(_("outcome"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=EngagementStatus.values),
                                   name="engagement_status_known"),
        ]

    # For exports and listings; with the links prefetched, these read no more from the database.
    def participating_department_codes(self) -> str:
        return " ".join(sorted(d.code for d in self.participating_departments.all()))

    def projects_leveraged_references(self) -> str:
        return " ".join(sorted(p.reference for p in self.projects_leveraged.all()))

    def key_messages_used_count(self) -> int:
        return len(self.key_messages_used.all())

    def __str__(self):
        return f"{self.date.isoformat()} {self.country.code.code} — {self.get_kind_display()}"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class FollowUp(AuditedMixin, models.Model):
    """An action an engagement calls for, owned by a department, due on a date."""

    engagement = ParentalKey(Engagement, on_delete=models.CASCADE, related_name="follow_ups",
                             verbose_name=_("engagement"))
    action = models.CharField(_("action"), max_length=500)
    owner_department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="follow_ups",
                                         verbose_name=_("owner department"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("owner (person)"),
                              help_text=_("Receives the reminders; the department's mailbox does too."))
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=FollowUpStatus.choices,
                              default=FollowUpStatus.OPEN)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=FollowUpStatus.values),
                                   name="follow_up_status_known"),
            models.CheckConstraint(
                condition=(models.Q(status=FollowUpStatus.DONE, completed_on__isnull=False)
                           | (~models.Q(status=FollowUpStatus.DONE) & models.Q(completed_on__isnull=True))),
                name="follow_up_completed_when_done"),
        ]

    def __str__(self):
        return self.action

    def is_overdue(self, today) -> bool:
        """Open and past its due date; an action due today is not yet overdue."""
        return self.status == FollowUpStatus.OPEN and self.due_date < today


class ReminderSent(models.Model):
    """One reminder e-mailed for one event to one address: the ledger that keeps reminders single."""

    event = models.CharField(_("event"), max_length=200)
    recipient = models.EmailField(_("recipient"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [models.UniqueConstraint(fields=["event", "recipient"], name="reminder_once_per_event")]

    def __str__(self):
        return f"{self.event} → {self.recipient}"


DepartmentUserObjectPermission, DepartmentGroupObjectPermission = grant_tables(Department, __name__)


EngagementUserObjectPermission, EngagementGroupObjectPermission = grant_tables(Engagement, __name__)


FollowUpUserObjectPermission, FollowUpGroupObjectPermission = grant_tables(FollowUp, __name__)
