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
from django.utils.translation import ngettext
from modelcluster.forms import BaseChildFormSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import InlinePanel

from countries.models import Country
from mcee import access
from mcee.access import FULL_SCOPE_ROLES, roles_of
from projects.models import KeyMessage, KeyMessageStatus, Project, ProjectCountry

from .access import departments_acted_for
from .models import Engagement, EngagementStatus, FollowUpStatus
from .selectors.engagements import LEVERAGEABLE_STATUSES

PROJECTS_NAMED = 6  # projects named in the leverage warning; more are shown as "…"


def leverageable_projects(user, country: Country):
    """The MCEE projects in ``country`` that the user may see and that the engagement may leverage."""
    return (access.visible(user, Project).filter(status__in=LEVERAGEABLE_STATUSES, country_shares__country=country)
            .distinct().order_by("reference"))


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
        cleaned = super().clean()
        self._check_department(cleaned)
        self._check_date(cleaned)
        self._check_links(cleaned)
        self._check_leverage(cleaned)
        return cleaned

    def _check_department(self, cleaned):
        user = self.for_user
        if user is None or user.is_superuser or roles_of(user) & FULL_SCOPE_ROLES:
            return
        own = set(departments_acted_for(user).values_list("pk", flat=True))
        lead = cleaned.get("lead_department")
        participants = {d.pk for d in cleaned.get("participating_departments") or []}
        if lead is not None and lead.pk not in own and not (participants & own):
            self.add_error("lead_department", _(
                "You can record engagements that your department leads or takes part in. Choose your "
                "department as lead or as a participating department."))

    def _check_date(self, cleaned):
        day, status = cleaned.get("date"), cleaned.get("status")
        if day is not None and status == EngagementStatus.HELD and day > timezone.localdate():
            self.add_error("date", _(
                "An engagement cannot have been held on a date still to come. Set the status to "
                "“Planned”, or correct the date."))

    def _check_links(self, cleaned):
        country = cleaned.get("country")
        projects = list(cleaned.get("projects_leveraged") or [])
        messages = list(cleaned.get("key_messages_used") or [])
        if country is None:
            return
        if projects:
            in_country = set(ProjectCountry.objects.filter(country=country, project__in=projects)
                             .values_list("project_id", flat=True))
            outside = [p.reference for p in projects if p.pk not in in_country]
            if outside:
                self.add_error("projects_leveraged", ngettext(
                    "%(projects)s does not work in %(country)s; choose only projects in the engagement's country.",
                    "%(projects)s do not work in %(country)s; choose only projects in the engagement's country.",
                    len(outside)) % {"projects": ", ".join(outside), "country": country})
        if messages:
            outside = [m for m in messages if m.country_id != country.pk]
            if outside:
                self.add_error("key_messages_used", ngettext(
                    "%(count)s key message chosen is about another country than %(country)s; choose only the "
                    "engagement's country's messages.",
                    "%(count)s key messages chosen are about another country than %(country)s; choose only the "
                    "engagement's country's messages.",
                    len(outside)) % {"count": len(outside), "country": country})
        if projects and cleaned.get("no_project_leveraged"):
            self.add_error("no_project_leveraged", _(
                "You ticked “no MCEE project was used” and also chose projects. Untick the box, or clear the "
                "projects."))

    def _check_leverage(self, cleaned):
        country = cleaned.get("country")
        if (country is None or cleaned.get("status") != EngagementStatus.HELD or cleaned.get("no_project_leveraged")
                or cleaned.get("projects_leveraged") or getattr(self, "_hidden_projects", None)
                or "projects_leveraged" not in self.fields):
            return
        projects = list(leverageable_projects(self.for_user, country)[:PROJECTS_NAMED + 1])
        if not projects:
            return
        named = ", ".join(f"{p.reference} {p.title}" for p in projects[:PROJECTS_NAMED])
        if len(projects) > PROJECTS_NAMED:
            named += " …"
        self.add_error("projects_leveraged", _(
            "MCEE projects exist in %(country)s: %(projects)s. Mark the ones used in this engagement, or tick "
            "“no MCEE project was used”.") % {"country": country, "projects": named})

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
