"""Asylum statistics per country and year, and the weights of the preventive ranking.

The ranking itself is computed in ``countries.selectors.preventive_ranking``; the weights are a
Wagtail setting so that an MCET administrator can change them without a release.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from mcee.audit import AuditedMixin
from mcee.grants import grant_tables

from .base import Country

MIN_YEAR, MAX_YEAR = 1990, 2100
YEAR_RANGE_MESSAGE = _("The year must be between 1990 and 2100.")
REJECTED_ABOVE_DECIDED_MESSAGE = _("IRB rejections cannot exceed IRB decisions.")
# The field rules carry their own messages (rather than Django's generic "Ensure this value is
# greater than or equal to 0"), so the admin, clean() and the import all say the same thing once.
NOT_NEGATIVE = MinValueValidator(0, message=_("A count cannot be negative."))


class AsylumStatistic(AuditedMixin, models.Model):
    """Asylum claims made in Canada by nationals of one country in one calendar year, and the IRB
    (Immigration and Refugee Board) decisions of that year on claims by nationals of that country."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="asylum_statistics",
                                verbose_name=_("country"))
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(MIN_YEAR, message=YEAR_RANGE_MESSAGE),
                               MaxValueValidator(MAX_YEAR, message=YEAR_RANGE_MESSAGE)],
        help_text=_("The calendar year (January to December) the figures are for."))
    claims = models.PositiveIntegerField(_("asylum claims"), validators=[NOT_NEGATIVE],
                                         help_text=_("Asylum claims made in Canada in the year."))
    irb_decided = models.PositiveIntegerField(
        _("IRB decisions"), validators=[NOT_NEGATIVE],
        help_text=_("Claims the IRB decided in the year (accepted, rejected or otherwise)."))
    irb_rejected = models.PositiveIntegerField(
        _("IRB rejections"), validators=[NOT_NEGATIVE],
        help_text=_("Claims the IRB rejected in the year; never more than the decisions."))
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["country", "-year"]
        verbose_name = _("asylum statistic")
        verbose_name_plural = _("asylum statistics")
        constraints = [
            models.UniqueConstraint(fields=["country", "year"], name="one_asylum_statistic_per_country_and_year"),
            models.CheckConstraint(condition=models.Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                                   name="asylum_statistic_year_in_range"),
            models.CheckConstraint(condition=models.Q(claims__gte=0, irb_decided__gte=0, irb_rejected__gte=0),
                                   name="asylum_statistic_counts_not_negative"),
            models.CheckConstraint(condition=models.Q(irb_rejected__lte=models.F("irb_decided")),
                                   name="asylum_statistic_rejected_not_above_decided"),
        ]

    def __str__(self):
        return f"{self.country} {self.year}"

    def clean(self):
        """The rule across fields; each field's own rule (year range, counts not negative) is its
        validator, with the messages above. The database checks all of them again."""
        super().clean()
        if (self.irb_rejected is not None and self.irb_decided is not None
                and self.irb_rejected > self.irb_decided):
            raise ValidationError({"irb_rejected": REJECTED_ABOVE_DECIDED_MESSAGE})


AsylumStatisticUserObjectPermission, AsylumStatisticGroupObjectPermission = grant_tables(AsylumStatistic, __name__)


WEIGHT_FORMULA_HELP = _(
    "score = claims weight × (claims ÷ highest claims of the year) + rejection-rate weight × "
    "(IRB rejections ÷ IRB decisions) + trend weight × (three-year trend limited to 0..1); a missing "
    "component counts as 0.")


WEIGHT_NOT_NEGATIVE = MinValueValidator(Decimal("0"), message=_("A weight cannot be negative."))


def _weight_field(verbose_name, default, help_text):
    return models.DecimalField(verbose_name, max_digits=5, decimal_places=2, default=Decimal(default),
                               validators=[WEIGHT_NOT_NEGATIVE], help_text=help_text)


@register_setting(icon="list-ol")
class PreventiveRankingWeights(AuditedMixin, BaseGenericSetting):
    """The weights of the preventive ranking's score (see ``countries.selectors.preventive_ranking``)."""

    claims_weight = _weight_field(
        _("claims weight"), "0.50",
        _("Weight of the claims component: the country's claims divided by the highest number of claims "
          "of any ranked country that year (0 to 1)."))
    rejection_weight = _weight_field(
        _("rejection-rate weight"), "0.30",
        _("Weight of the IRB rejection rate: IRB rejections divided by IRB decisions (0 to 1; 0 when the "
          "IRB decided nothing)."))
    trend_weight = _weight_field(
        _("trend weight"), "0.20",
        _("Weight of the three-year trend: (claims in the year − claims three years before) ÷ claims "
          "three years before, limited to 0..1 (a fall counts as 0, a doubling or more as 1; 0 when "
          "the earlier year is missing or zero)."))

    panels = [
        HelpPanel(content=WEIGHT_FORMULA_HELP, heading=_("How the score is computed")),
        FieldPanel("claims_weight"),
        FieldPanel("rejection_weight"),
        FieldPanel("trend_weight"),
    ]

    class Meta:
        verbose_name = _("preventive ranking weights")
        verbose_name_plural = _("preventive ranking weights")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(claims_weight__gte=0, rejection_weight__gte=0, trend_weight__gte=0),
                name="preventive_ranking_weights_not_negative"),
        ]

    def __str__(self):
        return str(_("Preventive ranking weights"))

    def clean(self):
        """Each weight is at least 0 (its validator, and the database); together they must weigh
        something, or every score would be 0 and the ranking would say nothing."""
        super().clean()
        weights = [self.claims_weight, self.rejection_weight, self.trend_weight]
        if all(w is not None for w in weights) and all(w >= 0 for w in weights) and not any(weights):
            raise ValidationError(_("At least one weight must be above 0."))
