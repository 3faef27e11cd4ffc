"""Every write to the results framework: results, indicators with their periods, PMF indicators, and the
indicator periods a key message rests on. Validated whole before anything is written."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import EnvelopeIndicator, Indicator, IndicatorPeriod, KeyMessage, Result


def validate_periods_do_not_overlap(periods: Iterable[IndicatorPeriod]) -> None:
    """An indicator's periods may not overlap: each day is reported once."""
    ordered = sorted((p for p in periods if p.period_start and p.period_end), key=lambda p: p.period_start)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.period_start <= before.period_end:
            raise ValidationError(
                _("Two periods of this indicator overlap (%(first)s and %(second)s): each day is reported once.")
                % {"first": before.label, "second": after.label}, code="periods_overlap")


@transaction.atomic
def result_save(*, result: Result) -> Result:
    result.full_clean()
    result.save()
    return result


@transaction.atomic
def envelope_indicator_save(*, indicator: EnvelopeIndicator) -> EnvelopeIndicator:
    """Save a PMF indicator; changing its unit is refused while project indicators in the old unit roll up."""
    indicator.full_clean()
    if indicator.pk:
        from .models import same_unit

        mismatched = [i for i in Indicator.objects.filter(pmf_indicator=indicator).select_related("result__project")
                      if not same_unit(i.unit, indicator.unit)]
        if mismatched:
            raise ValidationError(
                {"unit": _("Project indicators counted in “%(unit)s” roll up into this PMF indicator (%(projects)s): "
                           "unlink them before changing its unit.")
                 % {"unit": mismatched[0].unit,
                    "projects": ", ".join(sorted({i.result.project.reference for i in mismatched}))}})
    indicator.save()
    return indicator


@transaction.atomic
def indicator_save(*, indicator: Indicator, periods: list[IndicatorPeriod] | None = None) -> Indicator:
    """Create or update an indicator and, when given, replace its periods (matched by start date).

    A period that keeps its start keeps its row (and the actual reported in it); periods not given are
    removed. Everything is checked before anything is written."""
    indicator.full_clean()
    if periods is not None:
        for period in periods:
            period.indicator = indicator
            period.full_clean(exclude=["indicator"], validate_unique=False)
        validate_periods_do_not_overlap(periods)
        starts = [p.period_start for p in periods]
        if len(set(starts)) != len(starts):
            raise ValidationError(_("Two periods of this indicator start on the same day."), code="period_twice")
    indicator.save()
    if periods is not None:
        IndicatorPeriod.objects.filter(indicator=indicator).exclude(period_start__in=starts).delete()
        for period in periods:
            IndicatorPeriod.objects.update_or_create(
                indicator=indicator, period_start=period.period_start,
                defaults={"period_end": period.period_end, "target_value": period.target_value,
                          "actual_value": period.actual_value, "actual_text": period.actual_text})
    return indicator


def validate_key_message_evidence(*, project, periods: Iterable[IndicatorPeriod]) -> None:
    """The periods behind a key message are reported results of the message's own project."""
    for period in periods:
        if period.indicator.result.project_id != project.pk:
            raise ValidationError(
                _("“%(period)s” is a result of another project (%(reference)s): a key message rests on its own "
                  "project's results.")
                % {"period": str(period), "reference": period.indicator.result.project.reference},
                code="evidence_other_project")
        if period.actual_value is None and not (period.actual_text or "").strip():
            raise ValidationError(
                _("“%(period)s” has no reported actual yet: a key message rests on results already reported.")
                % {"period": str(period)}, code="evidence_not_reported")


@transaction.atomic
def key_message_evidence_set(*, message: KeyMessage, periods: list[IndicatorPeriod]) -> KeyMessage:
    """Link a draft key message to the indicator periods behind it (the free-text note stays as it is)."""
    from .services import ensure_key_message_editable

    ensure_key_message_editable(message)
    validate_key_message_evidence(project=message.project, periods=periods)
    message.evidence_periods.set(periods)
    return message
