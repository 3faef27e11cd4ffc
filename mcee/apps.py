from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class McEEConfig(AppConfig):
    name = "mcee"
    verbose_name = _("MCEE")
