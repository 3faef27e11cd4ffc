"""The portfolio: the envelope, priority areas, implementing partners, projects with their countries and
funding by fiscal year, and key messages for diplomatic use."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

from countries.models import Country
from mcee.audit import AuditedMixin
from mcee.fiscal import FiscalYear
from mcee.grants import grant_tables
from mcee.i18n import active_language, localized

SMALL_PROJECT_LIMIT = Decimal("250000")
LARGE_PROJECT_LIMIT = Decimal("3000000")
MAX_PLANNED_MONTHS = 36
MONEY = {"max_digits": 14, "decimal_places": 2}


class Envelope(AuditedMixin, models.Model):
    """The MCEE envelope: total, fiscal years covered, vote, and the programme it belongs to."""

    code = models.SlugField(_("code"), unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    total_amount = models.DecimalField(_("total amount (CAD)"), **MONEY)
    first_fiscal_year = models.PositiveSmallIntegerField(_("first fiscal year (start year)"))
    last_fiscal_year = models.PositiveSmallIntegerField(_("last fiscal year (start year)"))
    vote = models.CharField(_("vote"), max_length=50)
    parent_programme_en = models.CharField(_("parent programme (English)"), max_length=200)
    parent_programme_fr = models.CharField(_("parent programme (French)"), max_length=200)

    class Meta:
        verbose_name = _("envelope")
        verbose_name_plural = _("envelopes")
        constraints = [
            models.CheckConstraint(condition=models.Q(total_amount__gte=0), name="envelope_total_not_negative"),
            models.CheckConstraint(condition=models.Q(last_fiscal_year__gte=models.F("first_fiscal_year")),
                                   name="envelope_years_in_order"),
        ]

    def __str__(self):
        return str(localized(self, "name"))

    @property
    def fiscal_years(self) -> list[FiscalYear]:
        return [FiscalYear(y) for y in range(self.first_fiscal_year, self.last_fiscal_year + 1)]


class PriorityArea(AuditedMixin, models.Model):
    """One of the MCEE priority areas (evaluation, Table 1), with a stable code."""

    code = models.SlugField(_("code"), unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(_("order in the evaluation's Table 1"))

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("priority area")
        verbose_name_plural = _("priority areas")

    def __str__(self):
        return str(localized(self, "name"))


class OrganisationType(models.TextChoices):
    """IATI OrganisationType codes for the partners the MCEE works with."""

    GOVERNMENT = "10", _("Government")
    INTERNATIONAL_NGO = "21", _("International NGO")
    NATIONAL_NGO = "22", _("National NGO")
    MULTILATERAL = "40", _("Multilateral")
    ACADEMIC = "80", _("Academic, training and research")
    PRIVATE_SECTOR = "70", _("Private sector")


class Partner(AuditedMixin, models.Model):
    """An implementing partner (IOM, UNHCR, UNODC, ...)."""

    acronym = models.CharField(_("acronym"), max_length=30, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    acronym_fr = models.CharField(_("acronym (French)"), max_length=30, blank=True)
    organisation_type = models.CharField(_("organisation type"), max_length=2, choices=OrganisationType.choices)
    iati_ref = models.CharField(_("IATI organisation identifier"), max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("implementing partner")
        verbose_name_plural = _("implementing partners")

    def __str__(self):
        # The English acronym is the plain ``acronym`` field (there is no ``acronym_en``).
        return self.acronym_fr if self.acronym_fr and active_language() == "fr" else self.acronym

    @property
    def name(self):
        return localized(self, "name")


class ProjectStatus(models.TextChoices):
    PIPELINE = "pipeline", _("Pipeline")
    ACTIVE = "active", _("Active")
    FINALISATION = "finalisation", _("Finalisation")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    SUSPENDED = "suspended", _("Suspended")


class SizeCategory(models.TextChoices):
    SMALL = "small", _("Small (under $250,000)")
    LARGE = "large", _("Large ($250,000 to $3M)")


def size_category_for(amount: Decimal) -> str:
    """Small under $250,000; large from $250,000 to $3M. Larger amounts are not MCEE projects."""
    if amount is None:
        return ""
    return SizeCategory.SMALL if amount < SMALL_PROJECT_LIMIT else SizeCategory.LARGE


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from start to end, counting a started month (1 Apr to 31 Mar is 12)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    return months + (1 if end.day >= start.day else 0)


class Project(AuditedMixin, ClusterableModel):
    """A capacity-building project funded by the envelope."""

    reference = models.CharField(_("reference"), max_length=30, unique=True,
                                 help_text=_("Stable identifier, for example MCEE-2021-004."))
    title_en = models.CharField(_("title (English)"), max_length=255)
    title_fr = models.CharField(_("title (French)"), max_length=255, blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="projects",
                                verbose_name=_("implementing partner"))
    priority_areas = ParentalManyToManyField(PriorityArea, related_name="projects", blank=True,
                                             verbose_name=_("priority areas"))
    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus.choices,
                              default=ProjectStatus.PIPELINE)
    approved_amount = models.DecimalField(_("approved amount (CAD)"), **MONEY)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["reference"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(condition=models.Q(approved_amount__gte=0),
                                   name="project_amount_not_negative"),
            models.CheckConstraint(condition=models.Q(approved_amount__lte=LARGE_PROJECT_LIMIT),
                                   name="project_amount_within_large_limit"),
            models.CheckConstraint(condition=models.Q(planned_end__gte=models.F("planned_start")),
                                   name="project_planned_end_after_start"),
            models.CheckConstraint(
                condition=models.Q(actual_end__isnull=True) | models.Q(actual_start__isnull=True)
                | models.Q(actual_end__gte=models.F("actual_start")),
                name="project_actual_end_after_start"),
            models.CheckConstraint(condition=models.Q(status__in=ProjectStatus.values),
                                   name="project_status_known"),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    @property
    def title(self):
        return localized(self, "title")

    @property
    def summary(self):
        return localized(self, "summary")

    @property
    def size_category(self) -> str:
        return size_category_for(self.approved_amount)

    def get_size_category_display(self) -> str:
        return str(SizeCategory(self.size_category).label) if self.size_category else ""

    @property
    def planned_months(self) -> int | None:
        if self.planned_start and self.planned_end and self.planned_end >= self.planned_start:
            return months_between(self.planned_start, self.planned_end)
        return None

    @property
    def country_codes(self) -> str:
        """For exports: ``XA (60), XB (40)``. Uses the prefetched shares when there are."""
        return ", ".join(f"{s.country.code.code} ({s.share.normalize():f})" for s in self.country_shares.all())

    @property
    def priority_area_codes(self) -> str:
        return ", ".join(a.code for a in self.priority_areas.all())

    def clean(self):
        errors = {}
        if self.approved_amount is not None:
            if self.approved_amount < 0:
                errors["approved_amount"] = _("The approved amount cannot be negative.")
            elif self.approved_amount > LARGE_PROJECT_LIMIT:
                errors["approved_amount"] = _(
                    "An MCEE project can receive at most $3,000,000; this amount is over the large-project "
                    "limit and cannot be recorded."
                )
        if self.planned_start and self.planned_end:
            if self.planned_end < self.planned_start:
                errors["planned_end"] = _("The planned end is before the planned start.")
            elif self.planned_months > MAX_PLANNED_MONTHS:
                errors["planned_end"] = _(
                    "MCEE projects run for up to 3 years (36 months); this plan runs %(months)s months."
                ) % {"months": self.planned_months}
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = _("The actual end is before the actual start.")
        if errors:
            raise ValidationError(errors)


class ProjectCountry(AuditedMixin, models.Model):
    """A country a project works in, with its share of the project (shares add up to 100)."""

    project = ParentalKey(Project, on_delete=models.CASCADE, related_name="country_shares")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="project_shares",
                                verbose_name=_("country"))
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2, default=Decimal("100"))

    class Meta:
        ordering = ["-share", "country"]
        verbose_name = _("project country")
        verbose_name_plural = _("project countries")
        constraints = [
            models.UniqueConstraint(fields=["project", "country"], name="project_country_once"),
            models.CheckConstraint(condition=models.Q(share__gt=0) & models.Q(share__lte=100),
                                   name="project_country_share_between_0_and_100"),
        ]

    def __str__(self):
        return f"{self.project.reference} {self.country.code.code} {self.share}%"

    def clean(self):
        if self.share is not None and not Decimal("0") < self.share <= Decimal("100"):
            raise ValidationError({"share": _("A country's share must be more than 0 % and at most 100 %.")})


class FundingLine(AuditedMixin, models.Model):
    """Planned and disbursed funding of a project in one fiscal year."""

    project = ParentalKey(Project, on_delete=models.CASCADE, related_name="funding_lines")
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), help_text=_("The year the fiscal year starts in: 2024 means 2024-25."))
    planned = models.DecimalField(_("planned (CAD)"), default=Decimal("0"), **MONEY)
    disbursed = models.DecimalField(_("disbursed (CAD)"), default=Decimal("0"), **MONEY)

    class Meta:
        ordering = ["project", "fiscal_year"]
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        constraints = [
            models.UniqueConstraint(fields=["project", "fiscal_year"], name="funding_line_once_per_year"),
            models.CheckConstraint(condition=models.Q(planned__gte=0), name="funding_planned_not_negative"),
            models.CheckConstraint(condition=models.Q(disbursed__gte=0), name="funding_disbursed_not_negative"),
            models.CheckConstraint(condition=models.Q(fiscal_year__gte=2000) & models.Q(fiscal_year__lte=2100),
                                   name="funding_fiscal_year_plausible"),
        ]

    def __str__(self):
        return f"{self.project.reference} {self.fiscal_year_label}"

    @property
    def fiscal_year_label(self) -> str:
        return FiscalYear(self.fiscal_year).localized_label()

    def clean(self):
        errors = {}
        if self.planned is not None and self.planned < 0:
            errors["planned"] = _("Planned funding cannot be negative.")
        if self.disbursed is not None and self.disbursed < 0:
            errors["disbursed"] = _("Disbursed funding cannot be negative.")
        if self.fiscal_year is not None and not 2000 <= self.fiscal_year <= 2100:
            errors["fiscal_year"] = _("Write the fiscal year as the year it starts in, for example 2024.")
        if errors:
            raise ValidationError(errors)



# Object grants (django-guardian, direct foreign keys): a partner's reporter group is granted
# ``view_partner`` on its partner, which opens that partner's projects to it; individual projects
# can be granted to a user or group beyond what their role reaches.
class KeyMessageStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved for diplomatic use")
    RETIRED = "retired", _("Retired")


class KeyMessage(AuditedMixin, models.Model):
    """A sentence a diplomat may say about a project in a country, in both languages.

    Only approved messages leave MCET: they alone appear in briefs and in the engagement form.
    Approval and retirement go through ``projects.services`` (who and when are recorded).
    """

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="key_messages",
                                verbose_name=_("project"))
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="key_messages",
                                verbose_name=_("country"))
    text_en = models.TextField(_("message (English)"), max_length=1000)
    text_fr = models.TextField(_("message (French)"), max_length=1000)
    evidence = models.TextField(_("evidence"), blank=True,
                                help_text=_("The results behind the message: indicator, period and value."))
    evidence_periods = models.ManyToManyField(
        "projects.IndicatorPeriod", blank=True, related_name="key_messages",
        verbose_name=_("indicator results behind it"),
        help_text=_("The reported periods of the project's indicators that the message rests on."))
    status = models.CharField(_("status"), max_length=20, choices=KeyMessageStatus.choices,
                              default=KeyMessageStatus.DRAFT)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", editable=False, verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "project", "pk"]
        verbose_name = _("key message")
        verbose_name_plural = _("key messages")
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=KeyMessageStatus.values),
                                   name="key_message_status_known"),
            models.CheckConstraint(
                condition=~models.Q(status=KeyMessageStatus.APPROVED) | models.Q(approved_at__isnull=False),
                name="key_message_approval_recorded"),
        ]

    def __str__(self):
        text = str(self.text)
        return f"{self.country.code.code} · {text[:80]}{'…' if len(text) > 80 else ''}"

    @property
    def text(self):
        return localized(self, "text")

    def clean(self):
        super().clean()
        if not (self.text_en or "").strip() or not (self.text_fr or "").strip():
            raise ValidationError(_("A key message is used in both languages: write it in English and in French."))
        if self.project_id and self.country_id and not ProjectCountry.objects.filter(
                project_id=self.project_id, country_id=self.country_id).exists():
            raise ValidationError({"country": _("The project does not work in this country; choose one of its "
                                                "countries.")})


PartnerUserObjectPermission, PartnerGroupObjectPermission = grant_tables(Partner, __name__)


ProjectUserObjectPermission, ProjectGroupObjectPermission = grant_tables(Project, __name__)


ProjectCountryUserObjectPermission, ProjectCountryGroupObjectPermission = grant_tables(ProjectCountry, __name__)


FundingLineUserObjectPermission, FundingLineGroupObjectPermission = grant_tables(FundingLine, __name__)


PriorityAreaUserObjectPermission, PriorityAreaGroupObjectPermission = grant_tables(PriorityArea, __name__)


EnvelopeUserObjectPermission, EnvelopeGroupObjectPermission = grant_tables(Envelope, __name__)


KeyMessageUserObjectPermission, KeyMessageGroupObjectPermission = grant_tables(KeyMessage, __name__)
