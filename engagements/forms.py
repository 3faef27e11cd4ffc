"""Admin forms of engagements and follow-up actions.

The engagement form is built for an officer who fills it in in under two minutes: the choices it
offers are those the user may see (``mcee.access``), and it refuses, with a sentence saying what to
do, what would make the record wrong or leave leverage unknown:

- a held engagement in a country with MCEE projects must say which were leveraged, or that none
  was (``no_project_leveraged``), so that leverage is never left unknown; a planned engagement is
  not asked yet (nothing has been used), a cancelled one never;
- a leveraged project must work in the engagement's country, and a key message must be about it;
- "no project was used" and chosen projects contradict each other;
- an engagement cannot have been held on a date still to come.

Links the user cannot see (a project, or a key message since retired, chosen by someone who could)
are kept when the form is saved: the user cannot remove what it is not shown.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.forms import BaseChildFormSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import InlinePanel

from mcee import access
from projects.models import KeyMessage, KeyMessageStatus, Project

from .models import Engagement, FollowUpStatus
from .selectors.engagements import LEVERAGEABLE_STATUSES
from .services.engagements import engagement_check


def active_users():
    return get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name", "username")


def project_label(project) -> str:
    """A project with the countries it works in, so the right one is found at a glance."""
    codes = ", ".join(sorted(share.country.code.code for share in project.country_shares.all()))
    return f"{project.reference} {project.title} ({codes})" if codes else f"{project.reference} {project.title}"


class EngagementAdminForm(WagtailAdminModelForm):
    """An officer may record only engagements their own department leads or takes part in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        linked_projects = set(self.instance.projects_leveraged.values_list("pk", flat=True)) if self.instance.pk \
            else set()
        linked_messages = set(self.instance.key_messages_used.values_list("pk", flat=True)) if self.instance.pk \
            else set()
        if "projects_leveraged" in self.fields:
            field = self.fields["projects_leveraged"]
            field.queryset = (access.visible(user, Project)
                              .filter(Q(status__in=LEVERAGEABLE_STATUSES) | Q(pk__in=linked_projects))
                              .order_by("reference").prefetch_related("country_shares__country"))
            field.label_from_instance = project_label
            field.help_text = _("The MCEE projects mentioned or used in the engagement; each must work in the "
                                "engagement's country.")
            self._hidden_projects = linked_projects - set(
                access.visible(user, Project).filter(pk__in=linked_projects).values_list("pk", flat=True))
        if "key_messages_used" in self.fields:
            field = self.fields["key_messages_used"]
            field.queryset = (access.visible(user, KeyMessage)
                              .filter(Q(status=KeyMessageStatus.APPROVED) | Q(pk__in=linked_messages))
                              .select_related("country").order_by("country__code", "pk"))
            field.help_text = _("Approved key messages about the engagement's country that were used.")
            self._hidden_messages = linked_messages - set(
                access.visible(user, KeyMessage).filter(pk__in=linked_messages).values_list("pk", flat=True))
        if "lead_officer" in self.fields:
            self.fields["lead_officer"].queryset = active_users()

    def clean(self):
        # The rules the API applies too (engagements.services.engagements.engagement_check).
        cleaned = super().clean()
        engagement_check(user=self.for_user, values=cleaned, add_error=self.add_error,
                         leverage_asked="projects_leveraged" in self.fields,
                         has_hidden_projects=bool(getattr(self, "_hidden_projects", None)))
        return cleaned

    def save(self, commit=True):
        if self.instance.pk is None and self.for_user is not None:
            self.instance.created_by = self.for_user
        # Keep the links the user was not shown.
        hidden_projects = getattr(self, "_hidden_projects", set())
        hidden_messages = getattr(self, "_hidden_messages", set())
        if hidden_projects and "projects_leveraged" in self.cleaned_data:
            self.cleaned_data["projects_leveraged"] = list(self.cleaned_data["projects_leveraged"]) + list(
                Project.objects.filter(pk__in=hidden_projects))
        if hidden_messages and "key_messages_used" in self.cleaned_data:
            self.cleaned_data["key_messages_used"] = list(self.cleaned_data["key_messages_used"]) + list(
                KeyMessage.objects.filter(pk__in=hidden_messages))
        return super().save(commit)


# --- Follow-up actions ------------------------------------------------------------------------------


def check_follow_up_completion(form, cleaned):
    """Done ⇔ a completion date, not in the future: said on the fields, never an IntegrityError."""
    status, completed_on = cleaned.get("status"), cleaned.get("completed_on")
    if status == FollowUpStatus.DONE and completed_on is None:
        form.add_error("completed_on", _("A done action needs the date it was completed."))
    elif status and status != FollowUpStatus.DONE and completed_on is not None:
        form.add_error("completed_on", _(
            "Only a done action has a completion date: set the status to “Done”, or clear the date."))
    if completed_on is not None and completed_on > timezone.localdate():
        form.add_error("completed_on", _("The completion date cannot be in the future."))


class FollowUpInlineForm(WagtailAdminModelForm):
    """A follow-up inside the engagement form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "owner" in self.fields:
            self.fields["owner"].queryset = active_users()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("DELETE"):
            check_follow_up_completion(self, cleaned)
        return cleaned


class FollowUpFormSet(BaseChildFormSet):
    """The engagement's follow-ups. A submission without the follow-ups' management data (a script,
    or a form from before follow-ups were on it) changes no follow-up, rather than failing."""

    def __init__(self, data=None, files=None, instance=None, queryset=None, **kwargs):
        prefix = kwargs.get("prefix") or self.get_default_prefix()
        if data is not None and f"{prefix}-TOTAL_FORMS" not in data:
            data = data.copy()
            data[f"{prefix}-TOTAL_FORMS"] = "0"
            data[f"{prefix}-INITIAL_FORMS"] = "0"
        super().__init__(data, files, instance=instance, queryset=queryset, **kwargs)


class FollowUpInlinePanel(InlinePanel):
    """The InlinePanel of follow-ups, with their own form and formset."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name].update({"form": FollowUpInlineForm, "formset": FollowUpFormSet})
        return options


class FollowUpAdminForm(WagtailAdminModelForm):
    """A follow-up on its own page: mostly to mark it done. Its engagement is chosen when it is
    added (among those the user may change) and never changed afterwards."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields.pop("engagement", None)
        elif "engagement" in self.fields:
            self.fields["engagement"].queryset = access.visible(self.for_user, Engagement, access.CHANGE) \
                .select_related("country").order_by("-date", "pk")
        if "owner" in self.fields:
            self.fields["owner"].queryset = active_users()

    def clean(self):
        cleaned = super().clean()
        check_follow_up_completion(self, cleaned)
        return cleaned
