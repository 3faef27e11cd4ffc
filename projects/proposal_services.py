"""Every write to proposals: the state changes of ``projects.workflow``, the RWG endorsement, documents,
and the project created on approval. Kept apart from ``projects.services`` (the portfolio's writes).
"""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mcee import access

from .models import (
    Project,
    ProjectStatus,
    Proposal,
    ProposalDocument,
    ProposalEndorsement,
    ProposalState,
    ProposalTransition,
)
from .services import CountryShare, project_save
from .workflow import FINAL_STATES, Transition, transition_for, transitions_from

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
REFERENCE = re.compile(r"^MCEE-(?P<year>\d{4})-(?P<number>\d{3,})$")


def _label(state: str) -> str:
    return str(ProposalState(state).label)


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def available_transitions(*, proposal: Proposal, user) -> list[Transition]:
    """The transitions this user may take now (the table and their role; guards are checked on taking)."""
    if not access.can(user, access.CHANGE, proposal):
        return []
    roles = access.roles_of(user)
    return [t for t in transitions_from(proposal) if t.may(roles, superuser=user.is_superuser)]


@transaction.atomic
def proposal_transition(*, proposal: Proposal, to_state: str, user, comment: str = "") -> Proposal:
    """Move a proposal to ``to_state`` if the workflow allows it for this user; record who, when and why.

    Approval creates the project in the same transaction. Anything refused raises ``ValidationError``
    naming both states, and nothing is written.
    """
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    source = locked.state
    if to_state not in ProposalState.values:
        _refuse(_("“%(target)s” is not a state of a proposal.") % {"target": to_state}, "unknown_state")
    names = {"source": _label(source), "target": _label(to_state)}
    transition = transition_for(source, to_state)
    if transition is None:
        _refuse(_("A proposal cannot go from “%(source)s” to “%(target)s”.") % names, "not_allowed")
    if source == ProposalState.RETURNED and to_state != locked.returned_from:
        _refuse(_("A returned proposal goes back to the state it was returned from (“%(back)s”), not to "
                  "“%(target)s”.") % {"back": _label(locked.returned_from), "target": names["target"]},
                "not_where_returned_from")
    decision = access.can(user, access.CHANGE, locked)
    if not decision or not transition.may(access.roles_of(user), superuser=user.is_superuser):
        _refuse(_("Your role may not move a proposal from “%(source)s” to “%(target)s”.") % names, "role")
    today = timezone.localdate()
    if transition.guard is not None:
        reason = transition.guard(locked, today)
        if reason:
            _refuse(_("The proposal cannot go from “%(source)s” to “%(target)s”: %(reason)s")
                    % {**names, "reason": reason}, "guard")

    if to_state == ProposalState.APPROVED:
        locked.project = _create_project(locked)
    locked.returned_from = source if to_state == ProposalState.RETURNED else ""
    locked.state = to_state
    locked.full_clean()
    locked.save()
    ProposalTransition.objects.create(proposal=locked, from_state=source, to_state=to_state, user=user,
                                      at=timezone.now(), comment=comment.strip())
    return locked


def next_project_reference(start_year: int) -> str:
    """``MCEE-<start year>-<nnn>``: the number runs on across years (MCEE-2019-003, then MCEE-2020-004)."""
    numbers = [int(m["number"]) for ref in Project.objects.filter(reference__startswith="MCEE-")
               .values_list("reference", flat=True) if (m := REFERENCE.match(ref))]
    return f"MCEE-{start_year}-{max(numbers, default=0) + 1:03d}"


def _create_project(proposal: Proposal) -> Project:
    """The project of an approved proposal, with its countries, priority areas and planned funding by
    fiscal year. The project's own rules (at most $3M, at most 36 months, shares adding to 100 %) apply:
    a failure refuses the approval with the project's message."""
    budget = {line.fiscal_year: (line.amount, Decimal("0")) for line in proposal.budget_lines.all()}
    total = sum((planned for planned, _disbursed in budget.values()), Decimal("0"))
    if budget and total != proposal.requested_amount:
        _refuse(_("The budget by fiscal year adds up to %(budget)s but the requested amount is %(requested)s: "
                  "make them agree before approval.")
                % {"budget": f"{total:,.2f}", "requested": f"{proposal.requested_amount:,.2f}"}, "budget")
    project = Project(
        reference=next_project_reference(proposal.planned_start.year), title_en=proposal.title_en,
        title_fr=proposal.title_fr, summary_en=proposal.summary_en, summary_fr=proposal.summary_fr,
        partner=proposal.partner, status=ProjectStatus.ACTIVE, approved_amount=proposal.requested_amount,
        planned_start=proposal.planned_start, planned_end=proposal.planned_end)
    shares = [CountryShare(s.country, s.share) for s in proposal.country_shares.select_related("country")]
    try:
        with transaction.atomic():
            return project_save(project=project, shares=shares, priority_areas=list(proposal.priority_areas.all()),
                                funding=budget)
    except ValidationError as exc:
        raise ValidationError(
            _("The project cannot be created, so the proposal is not approved: %(reason)s")
            % {"reason": " ".join(exc.messages)}, code="project_invalid") from exc


@transaction.atomic
def proposal_endorse(*, proposal: Proposal, user, meeting_date, meeting_reference: str = "",
                     comment: str = "") -> ProposalEndorsement:
    """Record the RWG's endorsement of a proposal (needed to approve one in a recalcitrant country)."""
    if not access.can(user, access.VIEW, proposal) or not access.can(user, access.ADD, ProposalEndorsement):
        raise PermissionDenied(_("Your role may not record an RWG endorsement."))
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.state in FINAL_STATES:
        _refuse(_("This proposal is already decided (“%(state)s”); it is no longer endorsed.")
                % {"state": _label(locked.state)}, "decided")
    if ProposalEndorsement.objects.filter(proposal=locked).exists():
        _refuse(_("The RWG's endorsement of this proposal is already recorded."), "already_endorsed")
    endorsement = ProposalEndorsement(proposal=locked, meeting_date=meeting_date,
                                      meeting_reference=meeting_reference.strip(), comment=comment.strip(),
                                      recorded_by=user, recorded_at=timezone.now())
    endorsement.full_clean()
    endorsement.save()
    return endorsement


# --- documents ---------------------------------------------------------------------------------------

# Extension -> (what it is called, how its content starts, a member a real file of that kind has).
DOCUMENT_KINDS = {
    ".pdf": ("PDF", b"%PDF-", None),
    ".docx": ("Word", b"PK\x03\x04", "word/document.xml"),
    ".xlsx": ("Excel", b"PK\x03\x04", "xl/workbook.xml"),
}


def max_document_bytes() -> int:
    return int(getattr(settings, "MCEE_PROPOSAL_MAX_BYTES", DEFAULT_MAX_BYTES))


def validate_proposal_document(file) -> None:
    """PDF, Word (.docx) or Excel (.xlsx) only, by name and by content, and no larger than the limit."""
    name = PurePosixPath(getattr(file, "name", "") or "").name
    extension = PurePosixPath(name.lower()).suffix
    if extension not in DOCUMENT_KINDS:
        _refuse(_("“%(name)s” is not accepted: attach a PDF, Word (.docx) or Excel (.xlsx) file.") % {"name": name},
                "file_type")
    size = file.size
    limit = max_document_bytes()
    if size > limit:
        _refuse(_("“%(name)s” is %(size)s MB; the largest file accepted is %(limit)s MB.")
                % {"name": name, "size": f"{size / 1024 / 1024:.1f}", "limit": f"{limit / 1024 / 1024:g}"},
                "file_size")
    if size == 0:
        _refuse(_("“%(name)s” is empty.") % {"name": name}, "file_empty")
    kind, magic, member = DOCUMENT_KINDS[extension]
    file.seek(0)
    ok = file.read(len(magic)) == magic
    if ok and member:
        file.seek(0)
        try:
            with zipfile.ZipFile(file) as archive:
                ok = member in archive.namelist()
        except zipfile.BadZipFile:
            ok = False
    file.seek(0)
    if not ok:
        _refuse(_("“%(name)s” is not the %(kind)s document its name says: attach the document itself.")
                % {"name": name, "kind": kind}, "file_content")


@transaction.atomic
def proposal_document_add(*, proposal: Proposal, file, user, description: str = "") -> ProposalDocument:
    """Check the file, then keep it in private storage with the proposal. A refused file is not stored."""
    if not access.can(user, access.VIEW, proposal) or not access.can(user, access.ADD, ProposalDocument):
        raise PermissionDenied(_("Your role may not attach documents to proposals."))
    validate_proposal_document(file)
    document = ProposalDocument(proposal=proposal, description=description.strip(), size=file.size,
                                uploaded_by=user, uploaded_at=timezone.now())
    document.file.save(PurePosixPath(file.name).name, file, save=False)
    try:
        document.full_clean()
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document
