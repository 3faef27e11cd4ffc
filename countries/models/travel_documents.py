"""Travel-document (TD) data supplied by CBSA: anonymized cases, monthly aggregates, and the
timeliness target per country.

A case's reference is never stored: only ``case_key``, an HMAC-SHA256 of it with the key in the
``MCEE_CASE_REF_KEY`` setting, so that an updated extract can be matched to what is recorded.
The figures derived from these records are in ``countries.selectors`` (``td_timeliness``,
``td_completeness``).
"""

import hashlib
import hmac
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mcee.audit import AuditedMixin
from mcee.grants import grant_tables

from .base import Country

NOT_NEGATIVE = MinValueValidator(0, message=_("A count cannot be negative."))
ISSUED_BEFORE_REQUESTED_MESSAGE = _("The issue date cannot be before the request date.")
ISSUED_WITHOUT_DATE_MESSAGE = _("An issued travel document needs its issue date.")
DEFAULT_TARGET_DAYS = 90


def case_key(case_ref: str) -> str:
    """The keyed hash stored in place of a case reference (64 hexadecimal characters)."""
    key = settings.MCEE_CASE_REF_KEY.encode()
    return hmac.new(key, case_ref.strip().encode(), hashlib.sha256).hexdigest()


def case_keys(case_refs) -> list[str]:
    """``case_key`` of each reference, about twice as fast for a million of them: the key's inner
    and outer SHA-256 states (RFC 2104) are computed once and copied for each reference."""
    key = settings.MCEE_CASE_REF_KEY.encode()
    block = hashlib.sha256().block_size
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    inner = hashlib.sha256(key.translate(bytes(b ^ 0x36 for b in range(256)))).copy
    outer = hashlib.sha256(key.translate(bytes(b ^ 0x5C for b in range(256)))).copy

    def one(case_ref: str) -> str:
        first = inner()
        first.update(case_ref.strip().encode())
        second = outer()
        second.update(first.digest())
        return second.hexdigest()
    return [one(case_ref) for case_ref in case_refs]


class Outcome(models.TextChoices):
    ISSUED = "issued", _("Issued")
    REFUSED = "refused", _("Refused")
    PENDING = "pending", _("Pending")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


class TravelDocumentCase(AuditedMixin, models.Model):
    """One anonymized request for a travel document: no name, no file number, only a keyed hash."""

    # No index of its own: td_case_country_requested (country, requested_on) serves lookups by country.
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="td_cases",
                                verbose_name=_("country"), db_index=False)
    # Unique through Meta.constraints rather than unique=True, which on PostgreSQL adds a second index
    # for LIKE queries that a hash never needs. On PostgreSQL the column sorts bytewise (collation "C",
    # migration 0006): a million keys are indexed and matched about twice as fast.
    case_key = models.CharField(_("case key"), max_length=64, editable=False,
                                help_text=_("A keyed hash of the case reference; the reference itself is not "
                                            "stored."))
    requested_on = models.DateField(_("requested on"))
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    document_type = models.CharField(_("document type"), max_length=100, blank=True)
    validity_days = models.PositiveIntegerField(_("validity (days)"), null=True, blank=True,
                                                validators=[NOT_NEGATIVE])
    interview_required = models.BooleanField(_("interview required"), default=False)
    priority = models.CharField(_("priority"), max_length=50, blank=True)
    days_to_issue = models.PositiveIntegerField(_("days to issue"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["country", "-requested_on"]
        verbose_name = _("travel-document case")
        verbose_name_plural = _("travel-document cases")
        constraints = [
            models.UniqueConstraint(fields=["case_key"], name="td_case_key_unique"),
            models.CheckConstraint(condition=models.Q(issued_on__isnull=True)
                                   | models.Q(issued_on__gte=models.F("requested_on")),
                                   name="td_case_issued_not_before_requested"),
            models.CheckConstraint(condition=~models.Q(outcome="issued") | models.Q(issued_on__isnull=False),
                                   name="td_case_issued_has_date"),
            models.CheckConstraint(condition=models.Q(outcome__in=Outcome.values), name="td_case_outcome_valid"),
        ]
        indexes = [models.Index(fields=["country", "requested_on"], name="td_case_country_requested")]

    def __str__(self):
        return f"{self.country} {self.requested_on} ({self.get_outcome_display()})"

    def save(self, *args, **kwargs):
        if not self.case_key:  # entered in the admin, without a CBSA reference: a random one stands in
            self.case_key = case_key(f"admin-{uuid.uuid4()}")
        self.compute_days_to_issue()
        super().save(*args, **kwargs)

    def compute_days_to_issue(self):
        if self.issued_on and self.requested_on:
            self.days_to_issue = (self.issued_on - self.requested_on).days
        else:
            self.days_to_issue = None
        return self.days_to_issue

    def clean(self):
        super().clean()
        if self.issued_on and self.requested_on and self.issued_on < self.requested_on:
            raise ValidationError({"issued_on": ISSUED_BEFORE_REQUESTED_MESSAGE})
        if self.outcome == Outcome.ISSUED and not self.issued_on:
            raise ValidationError({"issued_on": ISSUED_WITHOUT_DATE_MESSAGE})


def _count(verbose_name, help_text="", null=False):
    return models.PositiveIntegerField(verbose_name, null=null, blank=null, validators=[NOT_NEGATIVE],
                                       help_text=help_text)


class TravelDocumentMonth(AuditedMixin, models.Model):
    """CBSA's monthly aggregate for one country; ``month`` is the first day of the month."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="td_months",
                                verbose_name=_("country"))
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    requested = _count(_("TDs requested"))
    issued = _count(_("TDs issued"))
    refused = _count(_("TDs refused"))
    pending_end = _count(_("pending at month end"))
    added_to_inventory = _count(_("added to the working inventory"),
                                _("People added to the removals working inventory; empty when not supplied."),
                                null=True)
    removals = _count(_("removals"))
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["country", "-month"]
        verbose_name = _("travel-document month")
        verbose_name_plural = _("travel-document months")
        constraints = [
            models.UniqueConstraint(fields=["country", "month"], name="one_td_month_per_country_and_month"),
            models.CheckConstraint(
                condition=models.Q(requested__gte=0, issued__gte=0, refused__gte=0, pending_end__gte=0,
                                   removals__gte=0)
                & (models.Q(added_to_inventory__isnull=True) | models.Q(added_to_inventory__gte=0)),
                name="td_month_counts_not_negative"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="td_month_first_day"),
        ]

    def __str__(self):
        return f"{self.country} {self.month:%Y-%m}"


class TimelinessTarget(AuditedMixin, models.Model):
    """The number of days within which MCET expects a country to issue a TD (default 90)."""

    country = models.OneToOneField(Country, on_delete=models.CASCADE, related_name="td_target",
                                   verbose_name=_("country"))
    target_days = models.PositiveIntegerField(_("target (days)"),
                                              validators=[MinValueValidator(1, message=_(
                                                  "The target must be at least 1 day."))])

    class Meta:
        ordering = ["country"]
        verbose_name = _("timeliness target")
        verbose_name_plural = _("timeliness targets")
        constraints = [models.CheckConstraint(condition=models.Q(target_days__gte=1),
                                              name="td_target_at_least_one_day")]

    def __str__(self):
        return f"{self.country}: {self.target_days}"


(TravelDocumentCaseUserObjectPermission,
 TravelDocumentCaseGroupObjectPermission) = grant_tables(TravelDocumentCase, __name__)


(TravelDocumentMonthUserObjectPermission,
 TravelDocumentMonthGroupObjectPermission) = grant_tables(TravelDocumentMonth, __name__)


TimelinessTargetUserObjectPermission, TimelinessTargetGroupObjectPermission = grant_tables(TimelinessTarget, __name__)
