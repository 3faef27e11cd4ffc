from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from mcee.audit import AuditedMixin
from mcee.grants import grant_tables


class Category(models.TextChoices):
    """How Canada classifies a country for removals cooperation."""

    RECALCITRANT = "recalcitrant", _("Recalcitrant")
    PREVENTIVE = "preventive", _("Preventive")
    AT_RISK = "at_risk", _("At risk")
    NOT_TARGETED = "not_targeted", _("Not targeted")


TARGETED_CATEGORIES = (Category.RECALCITRANT, Category.PREVENTIVE, Category.AT_RISK)


class Country(AuditedMixin, ClusterableModel):
    """A country the MCEE tracks. Its category is never stored here: it comes from the history."""

    code = CountryField(_("country"), unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return f"{self.code.name} ({self.code.code})"

    @property
    def name(self) -> str:
        return str(self.code.name)


class CountryClassification(AuditedMixin, models.Model):
    """One dated entry in a country's category history; the latest in effect is the current one."""

    country = ParentalKey(Country, on_delete=models.CASCADE, related_name="classifications",
                          verbose_name=_("country"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    effective_date = models.DateField(_("effective date"))
    rationale = models.TextField(_("rationale"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "-effective_date"]
        verbose_name = _("classification")
        verbose_name_plural = _("classification history")
        constraints = [
            models.UniqueConstraint(fields=["country", "effective_date"],
                                    name="one_classification_per_country_and_day"),
            models.CheckConstraint(condition=models.Q(category__in=Category.values),
                                   name="classification_category_known"),
        ]

    def __str__(self):
        return f"{self.country}: {self.get_category_display()} ({self.effective_date.isoformat()})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        touch_country(self.country_id)

    def delete(self, *args, **kwargs):
        country_id = self.country_id
        result = super().delete(*args, **kwargs)
        touch_country(country_id)
        return result


def touch_country(country_id) -> None:
    """A country's category comes from its history: a change there is a change of the country, for
    whoever asks what changed since (the API's ``updated_since``). A timestamp, not audited."""
    if country_id is not None:
        from django.utils import timezone

        Country.objects.filter(pk=country_id).update(updated_at=timezone.now())


CountryUserObjectPermission, CountryGroupObjectPermission = grant_tables(Country, __name__)


(CountryClassificationUserObjectPermission,
 CountryClassificationGroupObjectPermission) = grant_tables(CountryClassification, __name__)
