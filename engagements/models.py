from django.db import models
from django.utils.translation import gettext_lazy as _

from mcee.i18n import localized


class Department(models.Model):
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

    def __str__(self):
        return str(localized(self, "acronym"))

    @property
    def name(self):
        return localized(self, "name")
