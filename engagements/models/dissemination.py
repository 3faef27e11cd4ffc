"""Dissemination (the evaluation's Recommendation 2b): a plan of what results go to whom, and the
record of each distribution with its acknowledgement by the receiving department."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

from countries.models import Country
from mcee.audit import AuditedMixin
from mcee.grants import grant_tables
from mcee.i18n import localized
from projects.models import KeyMessage

from .base import Department


class DisseminationPlan(AuditedMixin, ClusterableModel):
    """Context, objectives, audiences, key messages, recommendations, channels and schedule."""

    title_en = models.CharField(_("title (English)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    context_en = models.TextField(_("context (English)"), blank=True)
    context_fr = models.TextField(_("context (French)"), blank=True)
    objectives_en = models.TextField(_("objectives (English)"))
    objectives_fr = models.TextField(_("objectives (French)"))
    audience_departments = ParentalManyToManyField(Department, related_name="dissemination_plans", blank=True,
                                                   verbose_name=_("target departments"))
    audience_groups = models.CharField(_("other target audiences"), max_length=300, blank=True,
                                       help_text=_("Groups outside the departments, e.g. the RWG, heads of mission."))
    key_messages = ParentalManyToManyField(KeyMessage, related_name="dissemination_plans", blank=True,
                                           verbose_name=_("key messages"))
    recommendations_en = models.TextField(_("actionable recommendations (English)"), blank=True)
    recommendations_fr = models.TextField(_("actionable recommendations (French)"), blank=True)
    channels = models.CharField(_("channels"), max_length=300, blank=True,
                                help_text=_("E.g. RWG meeting, e-mail digest, briefing to heads of mission."))
    schedule = models.TextField(_("schedule"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("dissemination plan")
        verbose_name_plural = _("dissemination plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="dissemination_plan_dates_in_order"),
        ]

    def __str__(self):
        return str(self.title)

    @property
    def title(self):
        return localized(self, "title")


class DistributionItem(models.TextChoices):
    COUNTRY_BRIEF = "country_brief", _("Country brief")
    RESULTS_DIGEST = "results_digest", _("Results digest")
    KEY_MESSAGES = "key_messages", _("Key messages")
    OTHER = "other", _("Other")


class Distribution(AuditedMixin, ClusterableModel):
    """What was sent, to which departments, when and by whom."""

    plan = models.ForeignKey(DisseminationPlan, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="distributions", verbose_name=_("dissemination plan"))
    item = models.CharField(_("what was sent"), max_length=30, choices=DistributionItem.choices)
    title = models.CharField(_("title"), max_length=200)
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="distributions", verbose_name=_("country"))
    key_messages = ParentalManyToManyField(KeyMessage, related_name="distributions", blank=True,
                                           verbose_name=_("key messages"))
    channel = models.CharField(_("channel"), max_length=200, blank=True)
    sent_on = models.DateField(_("sent on"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", editable=False, verbose_name=_("sent by"))

    class Meta:
        ordering = ["-sent_on", "pk"]
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        constraints = [
            models.CheckConstraint(condition=models.Q(item__in=DistributionItem.values),
                                   name="distribution_item_known"),
        ]

    def __str__(self):
        return f"{self.sent_on.isoformat()} · {self.title}"


class DistributionRecipient(AuditedMixin, models.Model):
    """A department a distribution went to, and whether (and when, by whom) it acknowledged it."""

    distribution = ParentalKey(Distribution, on_delete=models.CASCADE, related_name="recipients",
                               verbose_name=_("distribution"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="distributions_received",
                                   verbose_name=_("department"))
    acknowledged_at = models.DateTimeField(_("acknowledged on"), null=True, blank=True, editable=False)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", editable=False, verbose_name=_("acknowledged by"))

    class Meta:
        ordering = ["department__code", "pk"]
        verbose_name = _("distribution recipient")
        verbose_name_plural = _("distribution recipients")
        constraints = [
            models.UniqueConstraint(fields=["distribution", "department"], name="distribution_once_per_department"),
        ]

    def __str__(self):
        return f"{self.distribution} → {self.department}"


DisseminationPlanUserObjectPermission, DisseminationPlanGroupObjectPermission = grant_tables(
    DisseminationPlan, __name__)
DistributionUserObjectPermission, DistributionGroupObjectPermission = grant_tables(Distribution, __name__)
DistributionRecipientUserObjectPermission, DistributionRecipientGroupObjectPermission = grant_tables(
    DistributionRecipient, __name__)
