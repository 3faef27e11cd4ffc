from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from mcee.access import FULL_SCOPE_ROLES, roles_of

from .access import departments_acted_for


class EngagementAdminForm(WagtailAdminModelForm):
    """An officer may record only engagements their own department leads or takes part in."""

    def clean(self):
        cleaned = super().clean()
        user = self.for_user
        if user is None or user.is_superuser or roles_of(user) & FULL_SCOPE_ROLES:
            return cleaned
        own = set(departments_acted_for(user).values_list("pk", flat=True))
        lead = cleaned.get("lead_department")
        participants = {d.pk for d in cleaned.get("participating_departments") or []}
        if lead is not None and lead.pk not in own and not (participants & own):
            self.add_error("lead_department", _(
                "You can record engagements that your department leads or takes part in. Choose your "
                "department as lead or as a participating department."))
        return cleaned

    def save(self, commit=True):
        if self.instance.pk is None and self.for_user is not None:
            self.instance.created_by = self.for_user
        return super().save(commit)
