"""The results framework: the MCEE logic model (seeded, evaluation Annex A), the envelope's indicators
(the PMF), and each project's results, indicators and reporting periods (result -> indicator -> period).

A project indicator that measures the same thing as a PMF indicator, in the same unit, is linked to it and
rolls up into it (``projects.results_selectors.pmf_rollup``). Writes go through ``projects.results_services``.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from mcee.audit import AuditedMixin
from mcee.fiscal import FiscalQuarter, FiscalYear
from mcee.grants import grant_tables
from mcee.i18n import active_language, localized

from .portfolio import Project

VALUE = {"max_digits": 14, "decimal_places": 2}
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2100, 12, 31)  # outside these, a date is a typing error
LONGEST_PERIOD_DAYS = 366


def same_unit(a: str, b: str) -> bool:
    """Units match when they are written the same, ignoring case and spacing ("Cases" = "cases ")."""
    return " ".join((a or "").split()).casefold() == " ".join((b or "").split()).casefold()


def period_label(start: dt.date, end: dt.date, language: str | None = None) -> str:
    """A fiscal quarter (``2024-25 Q1``), half (``2024-25 H1``) or year (``2024-25``) when the period is
    exactly one; otherwise its dates."""
    if not start or not end:
        return ""
    french = active_language(language) == "fr"
    year = FiscalYear.of(start)
    if start == year.start and end == year.end:
        return year.localized_label(language)
    quarter = FiscalQuarter.of(start)
    if start == quarter.start and end == quarter.end:
        return quarter.localized_label(language)
    quarters = year.quarters()
    for half, (first, last) in enumerate(((quarters[0], quarters[1]), (quarters[2], quarters[3])), start=1):
        if start == first.start and end == last.end:
            return f"{year.localized_label(language)} {'S' if french else 'H'}{half}"
    return f"{start.isoformat()} – {end.isoformat()}"


class OutcomeLevel(models.TextChoices):
    ACTIVITY = "activity", _("Activity")
    OUTPUT = "output", _("Output")
    IMMEDIATE = "immediate", _("Immediate outcome")
    INTERMEDIATE = "intermediate", _("Intermediate outcome")
    ULTIMATE = "ultimate", _("Ultimate outcome")


class Outcome(AuditedMixin, models.Model):
    """One box of the MCEE logic model (evaluation, Annex A), with a stable code (``IMM-3``)."""

    code = models.SlugField(_("code"), unique=True)
    level = models.CharField(_("level"), max_length=20, choices=OutcomeLevel.choices)
    name_en = models.CharField(_("name (English)"), max_length=400)
    name_fr = models.CharField(_("name (French)"), max_length=400)
    sort_order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("logic-model outcome")
        verbose_name_plural = _("logic model")
        constraints = [models.CheckConstraint(condition=models.Q(level__in=OutcomeLevel.values),
                                              name="outcome_level_known")]

    def __str__(self):
        return f"{self.code} {localized(self, 'name')}"

    @property
    def name(self):
        return localized(self, "name")


class EnvelopeIndicator(AuditedMixin, models.Model):
    """An indicator of the envelope's Performance Measurement Framework (PMF): what it measures (a
    logic-model outcome), in which unit. Project indicators in the same unit roll up into it."""

    code = models.SlugField(_("code"), unique=True)
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_fr = models.CharField(_("name (French)"), max_length=255)
    unit = models.CharField(_("unit"), max_length=50, help_text=_("For example: cases, people trained, days."))
    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="envelope_indicators",
                                verbose_name=_("logic-model outcome measured"))
    ascending = models.BooleanField(_("higher is better"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("PMF indicator")
        verbose_name_plural = _("PMF indicators")
        constraints = [models.CheckConstraint(condition=~models.Q(unit=""), name="envelope_indicator_has_unit")]

    def __str__(self):
        return f"{self.code} {localized(self, 'name')} ({self.unit})"

    @property
    def name(self):
        return localized(self, "name")

    def clean(self):
        if not (self.unit or "").strip():
            raise ValidationError({"unit": _("A PMF indicator needs a unit: only project indicators in the same "
                                             "unit roll up into it.")})


class Result(AuditedMixin, models.Model):
    """A result a project works toward, linked to the logic-model outcome it contributes to."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="results",
                                verbose_name=_("project"))
    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="results",
                                verbose_name=_("logic-model outcome"))
    title_en = models.CharField(_("result (English)"), max_length=400)
    title_fr = models.CharField(_("result (French)"), max_length=400, blank=True)

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = _("project result")
        verbose_name_plural = _("project results")

    def __str__(self):
        return f"{self.project.reference} · {localized(self, 'title')}"

    @property
    def title(self):
        return localized(self, "title")


class IndicatorKind(models.TextChoices):
    QUANTITATIVE = "quantitative", _("Quantitative (a number)")
    QUALITATIVE = "qualitative", _("Qualitative (a description)")


class Accumulation(models.TextChoices):
    SUM = "sum", _("Periods add up (each period counts what happened in it)")
    LATEST = "latest", _("The latest period counts (a level or a rate)")


class Indicator(AuditedMixin, ClusterableModel):
    """How a result is measured: unit, baseline, target and direction, with its reporting periods."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="indicators",
                               verbose_name=_("result"))
    name_en = models.CharField(_("indicator (English)"), max_length=255)
    name_fr = models.CharField(_("indicator (French)"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=IndicatorKind.choices,
                            default=IndicatorKind.QUANTITATIVE)
    unit = models.CharField(_("unit"), max_length=50, blank=True,
                            help_text=_("For example: cases, people trained, registrations a month."))
    accumulation = models.CharField(_("over a fiscal year"), max_length=10, choices=Accumulation.choices,
                                    default=Accumulation.SUM)
    ascending = models.BooleanField(_("higher is better"), default=True)
    baseline_value = models.DecimalField(_("baseline"), null=True, blank=True, **VALUE)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    target_value = models.DecimalField(_("target"), null=True, blank=True, **VALUE)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    pmf_indicator = models.ForeignKey(EnvelopeIndicator, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="project_indicators", verbose_name=_("rolls up into (PMF)"),
                                      help_text=_("The envelope indicator this one counts toward; same unit only."))

    class Meta:
        ordering = ["result", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=IndicatorKind.values), name="indicator_kind_known"),
            models.CheckConstraint(condition=models.Q(accumulation__in=Accumulation.values),
                                   name="indicator_accumulation_known"),
            models.CheckConstraint(
                condition=~models.Q(kind=IndicatorKind.QUANTITATIVE)
                | (~models.Q(unit="") & models.Q(baseline_value__isnull=False) & models.Q(baseline_date__isnull=False)
                   & models.Q(target_value__isnull=False)),
                name="indicator_quantitative_has_values"),
            models.CheckConstraint(
                condition=~models.Q(kind=IndicatorKind.QUALITATIVE)
                | (models.Q(baseline_value__isnull=True) & models.Q(target_value__isnull=True)
                   & models.Q(pmf_indicator__isnull=True)),
                name="indicator_qualitative_has_no_numbers"),
            models.CheckConstraint(
                condition=models.Q(target_date__isnull=True) | models.Q(baseline_date__isnull=True)
                | models.Q(target_date__gte=models.F("baseline_date")),
                name="indicator_target_after_baseline_date"),
        ]

    def __str__(self):
        return str(localized(self, "name"))

    @property
    def name(self):
        return localized(self, "name")

    @property
    def pmf_code(self) -> str:
        return self.pmf_indicator.code if self.pmf_indicator_id else ""

    @property
    def quantitative(self) -> bool:
        return self.kind == IndicatorKind.QUANTITATIVE

    def clean(self):
        errors = {}
        if self.quantitative:
            if not (self.unit or "").strip():
                errors["unit"] = _("A quantitative indicator needs a unit.")
            for name, label in (("baseline_value", _("baseline")), ("baseline_date", _("baseline date")),
                                ("target_value", _("target"))):
                if getattr(self, name) is None:
                    errors[name] = _("A quantitative indicator needs its %(what)s.") % {"what": label}
            if self.baseline_value is not None and self.target_value is not None and "target_value" not in errors:
                if self.target_value == self.baseline_value:
                    errors["target_value"] = _("The target equals the baseline: set the value to reach.")
                elif self.ascending and self.target_value < self.baseline_value:
                    errors["target_value"] = _("Higher is better for this indicator, but its target is below its "
                                               "baseline: raise the target or untick “higher is better”.")
                elif not self.ascending and self.target_value > self.baseline_value:
                    errors["target_value"] = _("Lower is better for this indicator, but its target is above its "
                                               "baseline: lower the target or tick “higher is better”.")
        else:
            for name in ("baseline_value", "target_value"):
                if getattr(self, name) is not None:
                    errors[name] = _("A qualitative indicator is described, not counted: leave the numbers empty.")
            if self.pmf_indicator_id:
                errors["pmf_indicator"] = _("Only a quantitative indicator can roll up into a PMF indicator.")
        for name in ("baseline_date", "target_date"):
            day = getattr(self, name)
            if day and not EARLIEST <= day <= LATEST:
                errors[name] = _("This date is not plausible; write it as YYYY-MM-DD.")
        if self.baseline_date and self.target_date and self.target_date < self.baseline_date \
                and "target_date" not in errors:
            errors["target_date"] = _("The target date is before the baseline date.")
        if self.quantitative and self.pmf_indicator_id and "unit" not in errors:
            pmf = self.pmf_indicator
            if not same_unit(self.unit, pmf.unit):
                errors["pmf_indicator"] = _(
                    "This indicator is counted in “%(unit)s” but the PMF indicator %(code)s is counted in "
                    "“%(pmf_unit)s”: only indicators in the same unit roll up. Change the unit or choose another "
                    "PMF indicator.") % {"unit": self.unit, "code": pmf.code, "pmf_unit": pmf.unit}
        if errors:
            raise ValidationError(errors)


class IndicatorPeriod(AuditedMixin, models.Model):
    """One reporting period of an indicator: its target and, once reported and accepted, its actual."""

    indicator = ParentalKey(Indicator, on_delete=models.CASCADE, related_name="periods",
                            verbose_name=_("indicator"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    target_value = models.DecimalField(_("target for the period"), null=True, blank=True, **VALUE)
    actual_value = models.DecimalField(_("actual"), null=True, blank=True, **VALUE)
    actual_text = models.TextField(_("what was achieved (description)"), blank=True, max_length=2000)
    source_report = models.ForeignKey("projects.PartnerReport", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", editable=False, verbose_name=_("from the partner report"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "period_start"]
        verbose_name = _("indicator period")
        verbose_name_plural = _("indicator periods")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_start"], name="indicator_period_once"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="indicator_period_end_after_start"),
            models.CheckConstraint(condition=models.Q(period_start__gte=EARLIEST) & models.Q(period_end__lte=LATEST),
                                   name="indicator_period_plausible"),
        ]

    def __str__(self):
        return f"{self.indicator} · {self.label}"

    @property
    def label(self) -> str:
        return period_label(self.period_start, self.period_end)

    @property
    def fiscal_year(self) -> FiscalYear:
        """A period counts in the fiscal year it ends in."""
        return FiscalYear.of(self.period_end)

    def clean(self):
        errors = {}
        start, end = self.period_start, self.period_end
        if start and end:
            if end < start:
                errors["period_end"] = _("The period ends before it starts.")
            elif not (start >= EARLIEST and end <= LATEST):
                errors["period_start"] = _("These dates are not plausible; write them as YYYY-MM-DD.")
            elif (end - start).days + 1 > LONGEST_PERIOD_DAYS:
                errors["period_end"] = _("A reporting period is at most a year long.")
        try:
            indicator = self.indicator
        except Indicator.DoesNotExist:
            indicator = None
        if indicator is not None and indicator.result_id and start and end and not errors:
            project = indicator.result.project
            first = min(d for d in (project.planned_start, project.actual_start) if d)
            last = max(d for d in (project.planned_end, project.actual_end) if d)
            if start < first or end > last:
                errors["period_start"] = _(
                    "The period (%(start)s to %(end)s) is outside the project's life (%(first)s to %(last)s).") % {
                    "start": start.isoformat(), "end": end.isoformat(), "first": first.isoformat(),
                    "last": last.isoformat()}
        if indicator is not None and not indicator.quantitative:
            for name in ("target_value", "actual_value"):
                if getattr(self, name) is not None:
                    errors[name] = _("A qualitative indicator is described, not counted: leave the numbers empty.")
        if end and (self.actual_value is not None or (self.actual_text or "").strip()) \
                and end > timezone.localdate():
            errors["actual_value"] = _("An actual is recorded once the period has ended (it ends on %(end)s).") % {
                "end": end.isoformat()}
        if errors:
            raise ValidationError(errors)


OutcomeUserObjectPermission, OutcomeGroupObjectPermission = grant_tables(Outcome, __name__)
EnvelopeIndicatorUserObjectPermission, EnvelopeIndicatorGroupObjectPermission = grant_tables(EnvelopeIndicator,
                                                                                             __name__)
ResultUserObjectPermission, ResultGroupObjectPermission = grant_tables(Result, __name__)
IndicatorUserObjectPermission, IndicatorGroupObjectPermission = grant_tables(Indicator, __name__)
IndicatorPeriodUserObjectPermission, IndicatorPeriodGroupObjectPermission = grant_tables(IndicatorPeriod, __name__)
