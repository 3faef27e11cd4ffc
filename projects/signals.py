"""Keep each partner's reporter group and its grant in step with the partner, whatever the path."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Partner


@receiver(post_save, sender=Partner, dispatch_uid="partner_reporter_group")
def partner_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    from .services import partner_reporter_group_sync

    partner_reporter_group_sync(partner=instance)
