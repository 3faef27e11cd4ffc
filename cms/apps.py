from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def sync_roles(sender, **kwargs):
    """After every migrate, the role groups hold exactly what mcee/roles.py says (the groups were
    first created by cms/migrations/0003), so a change to the role table needs no new migration."""
    from django.contrib.auth.models import Group, Permission

    from mcee.roles import STANDING_ROLES, sync_role_group

    for role in STANDING_ROLES:
        sync_role_group(role, Group, Permission)


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Reader pages")

    def ready(self):
        post_migrate.connect(sync_roles, sender=self, dispatch_uid="mcee_sync_roles")
