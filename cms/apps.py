from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def sync_roles(sender, **kwargs):
    """After every migrate, the role groups (and every partner's reporter group) hold exactly what
    mcee/roles.py says (the groups were first created by cms/migrations/0003), so a change to the role
    table needs no new migration."""
    from django.contrib.auth.models import Group, Permission

    from mcee.roles import STANDING_ROLES, sync_role_group

    for role in STANDING_ROLES:
        sync_role_group(role, Group, Permission)
    # Each partner's reporter group too: a permission added to the reporter role reaches existing partners.
    from projects.models import Partner
    from projects.services import partner_reporter_group_sync

    for partner in Partner.objects.all():
        partner_reporter_group_sync(partner=partner)


def brief_page_for_classified_country(sender, instance, created, raw=False, **kwargs):
    """A country that is classified gets its brief pages (in each language) the first time."""
    if raw or not created:
        return
    from .models import CountryBriefPage
    from .services import brief_pages_sync

    if not CountryBriefPage.objects.filter(country_id=instance.country_id).exists():
        brief_pages_sync(countries=[instance.country])


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Reader pages")

    def ready(self):
        post_migrate.connect(sync_roles, sender=self, dispatch_uid="mcee_sync_roles")
        from django.db.models.signals import post_save

        from countries.models import CountryClassification

        from . import api

        api.register_api()  # the brief data under /api/v1/briefs/ (mcee.api)
        post_save.connect(brief_page_for_classified_country, sender=CountryClassification,
                          dispatch_uid="mcee_brief_page_for_classified_country")
