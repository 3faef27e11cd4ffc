"""Roles and responsibilities (the evaluation's Recommendation 2a): a RACI matrix of activities by
department, government-wide by default and optionally per country."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from countries.models import Country
from mcee.audit import AuditedMixin
from mcee.grants import grant_tables
from mcee.i18n import localized

from .base import Department


class ResponsibilityActivity(AuditedMixin, models.Model):
    """An activity of removals cooperation whose roles the matrix settles (seeded by migration)."""

    code = models.SlugField(_("code"), unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("responsibility activity")
        verbose_name_plural = _("responsibility activities")

    def __str__(self):
        return str(self.name)

    @property
    def name(self):
        return localized(self, "name")


class RaciRole(models.TextChoices):
    RESPONSIBLE = "R", _("Responsible")
    ACCOUNTABLE = "A", _("Accountable")
    CONSULTED = "C", _("Consulted")
    INFORMED = "I", _("Informed")


class Responsibility(AuditedMixin, models.Model):
    """One cell of the matrix: a department's role in an activity, for one country or (no country)
    government-wide. A country's own cell replaces the government-wide one for that department."""

    activity = models.ForeignKey(ResponsibilityActivity, on_delete=models.CASCADE, related_name="responsibilities",
                                 verbose_name=_("activity"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="responsibilities",
                                   verbose_name=_("department"))
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="responsibilities", verbose_name=_("country"),
                                help_text=_("Leave empty for the government-wide assignment."))
    role = models.CharField(_("role"), max_length=1, choices=RaciRole.choices)

    class Meta:
        ordering = ["activity__sort_order", "department__code", "pk"]
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=RaciRole.values), name="raci_role_known"),
            models.UniqueConstraint(fields=["activity", "department", "country"], name="raci_one_role_per_country"),
            models.UniqueConstraint(fields=["activity", "department"], condition=models.Q(country__isnull=True),
                                    name="raci_one_default_role"),
            # One department is accountable for an activity (per country, and government-wide).
            models.UniqueConstraint(fields=["activity", "country"], condition=models.Q(role="A"),
                                    name="raci_one_accountable_per_country"),
            models.UniqueConstraint(fields=["activity"], condition=models.Q(role="A", country__isnull=True),
                                    name="raci_one_accountable_default"),
        ]

    def __str__(self):
        where = self.country.code.code if self.country_id else _("all countries")
        return f"{self.activity} · {self.department} · {self.get_role_display()} ({where})"


ResponsibilityActivityUserObjectPermission, ResponsibilityActivityGroupObjectPermission = grant_tables(
    ResponsibilityActivity, __name__)
ResponsibilityUserObjectPermission, ResponsibilityGroupObjectPermission = grant_tables(Responsibility, __name__)
