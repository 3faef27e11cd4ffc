"""Every write to the portfolio goes through here: validated, transactional."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from countries.models import Country
from mcee import access

from .models import FundingLine, KeyMessage, KeyMessageStatus, Project, ProjectCountry

HUNDRED = Decimal("100")


@dataclass(frozen=True)
class CountryShare:
    country: Country
    share: Decimal


def validate_country_shares(shares: Iterable[Decimal]) -> None:
    """A project's country shares must add up to exactly 100 %."""
    shares = [Decimal(s) for s in shares]
    if not shares:
        raise ValidationError(_("A project needs at least one country."), code="no_countries")
    total = sum(shares, Decimal("0"))
    if total != HUNDRED:
        raise ValidationError(
            _("The country shares add up to %(total)s %%; they must add up to 100 %%.")
            % {"total": f"{total.normalize():f}"},
            code="shares_not_100",
        )


@transaction.atomic
def project_save(*, project: Project, shares: list[CountryShare] | None = None,
                 priority_areas=None, funding: dict[int, tuple[Decimal, Decimal]] | None = None) -> Project:
    """Create or update a project with its countries, priority areas and funding lines.

    ``funding`` maps a fiscal year's start year to (planned, disbursed). Everything is validated
    before anything is written; a failure leaves the database as it was.
    """
    project.full_clean()
    if shares is not None:
        for s in shares:  # each share in (0, 100], with its message, before the database refuses it
            ProjectCountry(project=project, country=s.country, share=s.share).full_clean(
                exclude=["project"], validate_unique=False)
        validate_country_shares([s.share for s in shares])
        countries = [s.country.pk for s in shares]
        if len(set(countries)) != len(countries):
            raise ValidationError(_("A country is listed twice for this project."), code="duplicate_country")
    lines = []
    for year, (planned, disbursed) in sorted((funding or {}).items()):
        line = FundingLine(project=project, fiscal_year=year, planned=planned, disbursed=disbursed)
        line.full_clean(exclude=["project"])
        lines.append(line)

    project.save()
    if priority_areas is not None:
        project.priority_areas.set(priority_areas)
        project.save()  # modelcluster keeps M2M changes in memory until save
    if shares is not None:
        ProjectCountry.objects.filter(project=project).exclude(country__in=[s.country for s in shares]).delete()
        for s in shares:
            ProjectCountry.objects.update_or_create(project=project, country=s.country,
                                                    defaults={"share": s.share})
    if funding is not None:
        FundingLine.objects.filter(project=project).exclude(fiscal_year__in=list(funding)).delete()
        for line in lines:
            FundingLine.objects.update_or_create(
                project=project, fiscal_year=line.fiscal_year,
                defaults={"planned": line.planned, "disbursed": line.disbursed})
    return project


@transaction.atomic
def partner_reporter_group_sync(*, partner):
    """Make sure the partner has its reporter group, with the reporter role's permissions and the
    guardian grant that opens the partner's projects (and only those) to it."""
    from django.contrib.auth.models import Group, Permission
    from guardian.shortcuts import assign_perm

    from mcee.roles import partner_reporter_role, sync_role_group

    role = partner_reporter_role(partner.acronym)
    sync_role_group(role, Group, Permission)
    group = Group.objects.get(name=role.group_name)
    assign_perm("projects.view_partner", group, partner)
    return group


# --- Key messages for diplomatic use (issue 6) ---
# A message is written as a draft, approved by MCET for diplomatic use, and retired when it no longer
# holds. Only a draft is edited: an approved message is changed by retiring it and writing a new one,
# so what a diplomat was given stays on record as it was given.


def _require_change(*, message, user) -> None:
    decision = access.can(user, access.CHANGE, message)
    if not decision:
        raise PermissionDenied(str(decision.reason))


def ensure_key_message_editable(message) -> None:
    """Refuse to change a message that has left the draft stage (its stored status decides)."""
    if message.pk is None:
        return
    stored = KeyMessage.objects.filter(pk=message.pk).values_list("status", flat=True).first()
    if stored is not None and stored != KeyMessageStatus.DRAFT:
        raise ValidationError(
            _("Only a draft key message can be changed. This one is “%(status)s”: to change what it says, retire "
              "it and write a new one.") % {"status": KeyMessageStatus(stored).label},
            code="key_message_not_draft")


@transaction.atomic
def key_message_approve(*, message, user):
    """MCET approves a draft for diplomatic use: who approved it and when are recorded."""
    _require_change(message=message, user=user)
    locked = KeyMessage.objects.select_for_update().get(pk=message.pk)
    if locked.status != KeyMessageStatus.DRAFT:
        if locked.status == KeyMessageStatus.APPROVED:
            raise ValidationError(_("This key message is already approved."), code="already_approved")
        raise ValidationError(_("A retired key message cannot be approved again: write a new one."),
                              code="retired")
    locked.status = KeyMessageStatus.APPROVED
    locked.approved_by = user
    locked.approved_at = timezone.now()
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def key_message_retire(*, message, user):
    """MCET retires an approved message: it no longer appears in briefs, reminders or forms. Who
    approved it, and when, stays recorded."""
    _require_change(message=message, user=user)
    locked = KeyMessage.objects.select_for_update().get(pk=message.pk)
    if locked.status == KeyMessageStatus.RETIRED:
        raise ValidationError(_("This key message is already retired."), code="already_retired")
    if locked.status != KeyMessageStatus.APPROVED:
        raise ValidationError(_("Only an approved key message can be retired; delete a draft you no longer need."),
                              code="not_approved")
    locked.status = KeyMessageStatus.RETIRED
    locked.full_clean()
    locked.save()
    return locked
