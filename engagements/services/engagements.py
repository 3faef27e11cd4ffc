"""Recording an engagement: the rules the admin form and the API share, and the write the API uses.

``engagement_check`` holds every rule an engagement must meet beyond its fields' own (an officer
records only what its department leads or takes part in; a held engagement is not in the future;
leveraged projects and key messages are the country's; "none used" contradicts chosen projects; a
held engagement in a country with MCEE projects says which were used, or that none was). The admin
form (``engagements.forms.EngagementAdminForm``) calls it in ``clean``; ``engagement_save`` calls it
before writing, for the API.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mcee import access
from mcee.access import FULL_SCOPE_ROLES, roles_of
from projects.models import KeyMessage, Project, ProjectCountry

from ..access import departments_acted_for
from ..models import Engagement, EngagementStatus
from ..selectors.engagements import LEVERAGEABLE_STATUSES

PROJECTS_NAMED = 6  # projects named in the leverage warning; more are shown as "…"
# The fields a caller sets (the links are lists of records).
FIELDS = ["country", "date", "status", "kind", "level", "lead_department", "counterpart_institution",
          "counterpart_title", "summary", "removals_raised", "no_project_leveraged", "lead_officer", "outcome",
          "next_steps"]
LINKS = ["participating_departments", "projects_leveraged", "key_messages_used"]

AddError = Callable[[str, str], None]


def leverageable_projects(user, country):
    """The MCEE projects in ``country`` that the user may see and that the engagement may leverage."""
    return (access.visible(user, Project).filter(status__in=LEVERAGEABLE_STATUSES, country_shares__country=country)
            .distinct().order_by("reference"))


def engagement_check(*, user, values: dict, add_error: AddError, leverage_asked: bool = True,
                     has_hidden_projects: bool = False) -> None:
    """Report each broken rule with ``add_error(field, message)``. As a Django form does, a field
    reported is then taken out of ``values`` (the later rules no longer see it)."""
    def report(field, message):
        add_error(field, message)
        values.pop(field, None)

    _check_department(user, values, report)
    _check_date(values, report)
    _check_links(values, report)
    if leverage_asked:
        _check_leverage(user, values, report, has_hidden_projects)


def _check_department(user, values, report):
    if user is None or user.is_superuser or roles_of(user) & FULL_SCOPE_ROLES:
        return
    own = set(departments_acted_for(user).values_list("pk", flat=True))
    lead = values.get("lead_department")
    participants = {d.pk for d in values.get("participating_departments") or []}
    if lead is not None and lead.pk not in own and not (participants & own):
        report("lead_department", _(
            "You can record engagements that your department leads or takes part in. Choose your "
            "department as lead or as a participating department."))


def _check_date(values, report):
    day, status = values.get("date"), values.get("status")
    if day is not None and status == EngagementStatus.HELD and day > timezone.localdate():
        report("date", _(
            "An engagement cannot have been held on a date still to come. Set the status to "
            "“Planned”, or correct the date."))


def _check_links(values, report):
    country = values.get("country")
    projects = list(values.get("projects_leveraged") or [])
    messages = list(values.get("key_messages_used") or [])
    if country is None:
        return
    if projects:
        in_country = set(ProjectCountry.objects.filter(country=country, project__in=projects)
                         .values_list("project_id", flat=True))
        outside = [p.reference for p in projects if p.pk not in in_country]
        if outside:
            report("projects_leveraged", ngettext(
                "%(projects)s does not work in %(country)s; choose only projects in the engagement's country.",
                "%(projects)s do not work in %(country)s; choose only projects in the engagement's country.",
                len(outside)) % {"projects": ", ".join(outside), "country": country})
    if messages:
        outside = [m for m in messages if m.country_id != country.pk]
        if outside:
            report("key_messages_used", ngettext(
                "%(count)s key message chosen is about another country than %(country)s; choose only the "
                "engagement's country's messages.",
                "%(count)s key messages chosen are about another country than %(country)s; choose only the "
                "engagement's country's messages.",
                len(outside)) % {"count": len(outside), "country": country})
    if projects and values.get("no_project_leveraged"):
        report("no_project_leveraged", _(
            "You ticked “no MCEE project was used” and also chose projects. Untick the box, or clear the "
            "projects."))


def _check_leverage(user, values, report, has_hidden_projects):
    country = values.get("country")
    if (country is None or values.get("status") != EngagementStatus.HELD or values.get("no_project_leveraged")
            or values.get("projects_leveraged") or has_hidden_projects):
        return
    projects = list(leverageable_projects(user, country)[:PROJECTS_NAMED + 1])
    if not projects:
        return
    named = ", ".join(f"{p.reference} {p.title}" for p in projects[:PROJECTS_NAMED])
    if len(projects) > PROJECTS_NAMED:
        named += " …"
    report("projects_leveraged", _(
        "MCEE projects exist in %(country)s: %(projects)s. Mark the ones used in this engagement, or tick "
        "“no MCEE project was used”.") % {"country": country, "projects": named})


def hidden_links(*, user, engagement: Engagement) -> tuple[set[int], set[int]]:
    """The projects and key messages linked to the engagement that the user may not see: kept when the
    user saves it (the user cannot remove what it is not shown)."""
    if engagement.pk is None:
        return set(), set()
    projects = set(engagement.projects_leveraged.values_list("pk", flat=True))
    messages = set(engagement.key_messages_used.values_list("pk", flat=True))
    return (projects - set(access.visible(user, Project).filter(pk__in=projects).values_list("pk", flat=True)),
            messages - set(access.visible(user, KeyMessage).filter(pk__in=messages).values_list("pk", flat=True)))


def offered_key_messages(user, engagement: Engagement | None = None):
    """The key messages a user may link: approved ones it sees, and those already linked."""
    linked = set(engagement.key_messages_used.values_list("pk", flat=True)) if engagement and engagement.pk \
        else set()
    return access.visible(user, KeyMessage).filter(Q(status="approved") | Q(pk__in=linked))


@transaction.atomic
def engagement_save(*, user, values: dict, engagement: Engagement | None = None) -> Engagement:
    """Create (``engagement`` None) or change an engagement from ``values`` (its fields and the lists
    ``participating_departments``, ``projects_leveraged``, ``key_messages_used``; fields absent keep
    their value). Raises ``ValidationError`` by field, having written nothing."""
    engagement = engagement or Engagement()
    creating = engagement.pk is None
    current = {name: getattr(engagement, name, None) for name in FIELDS if name != "country"}
    current["country"] = engagement.country if engagement.country_id else None
    hidden_projects, hidden_messages = hidden_links(user=user, engagement=engagement)
    hidden = {"projects_leveraged": hidden_projects, "key_messages_used": hidden_messages}
    for name in LINKS:  # as the caller sees them: what it may not see is kept aside, and kept
        current[name] = [] if creating else [
            obj for obj in getattr(engagement, name).all() if obj.pk not in hidden.get(name, ())]
    merged = {**current, **values}
    problems: dict[str, list[str]] = {}
    engagement_check(user=user, values=dict(merged), has_hidden_projects=bool(hidden_projects),
                     add_error=lambda field, message: problems.setdefault(field, []).append(str(message)))
    if problems:
        raise ValidationError(problems)
    for name in FIELDS:
        if name in merged:
            setattr(engagement, name, merged[name])
    if creating:
        engagement.created_by = user
    engagement.participating_departments = list(merged["participating_departments"])
    engagement.projects_leveraged = list(merged["projects_leveraged"]) + list(
        Project.objects.filter(pk__in=hidden_projects))
    engagement.key_messages_used = list(merged["key_messages_used"]) + list(
        KeyMessage.objects.filter(pk__in=hidden_messages))
    engagement.full_clean()
    engagement.save()
    return engagement
