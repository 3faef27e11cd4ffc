from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel

from countries.models import Country
from mcee.audit import AuditedMixin
from mcee.grants import grant_tables
from mcee.i18n import localized
from projects.models import Project


class Department(AuditedMixin, models.Model):
    """A federal department or agency taking part in removals cooperation."""

    code = models.SlugField(_("code"), unique=True)
    acronym_en = models.CharField(_("acronym (English)"), max_length=20)
    acronym_fr = models.CharField(_("acronym (French)"), max_length=20)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)

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

    def __str__(self):
        return f"{self.date.isoformat()} {self.country.code.code} — {self.get_kind_display()}"


DepartmentUserObjectPermission, DepartmentGroupObjectPermission = grant_tables(Department, __name__)


EngagementUserObjectPermission, EngagementGroupObjectPermission = grant_tables(Engagement, __name__)
