"""Writes of the responsibility matrix (RACI): one role per department and activity (per country, or
government-wide), and one accountable department per activity. The database enforces both; these
checks say it in a sentence before it has to, and a race that slips past them is still a form error."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import RaciRole, Responsibility


def _where(responsibility: Responsibility) -> str:
    if responsibility.country_id:
        return _("for %(country)s") % {"country": responsibility.country}
    return _("government-wide")


def responsibility_conflicts(responsibility: Responsibility) -> dict[str, list[str]]:
    """Field → sentences saying which existing cell this one would contradict (empty when none)."""
    errors: dict[str, list[str]] = {}
    if not (responsibility.activity_id and responsibility.department_id and responsibility.role):
        return errors
    same_place = Responsibility.objects.filter(activity_id=responsibility.activity_id,
                                               country_id=responsibility.country_id)
    if responsibility.pk:
        same_place = same_place.exclude(pk=responsibility.pk)
    existing = same_place.filter(department_id=responsibility.department_id).first()
    if existing is not None:
        errors.setdefault("department", []).append(
            _("%(department)s already has a role (%(role)s) in this activity %(where)s; change that one instead.")
            % {"department": existing.department, "role": existing.get_role_display(),
               "where": _where(responsibility)})
    if responsibility.role == RaciRole.ACCOUNTABLE:
        accountable = same_place.filter(role=RaciRole.ACCOUNTABLE).select_related("department").first()
        if accountable is not None and accountable.department_id != responsibility.department_id:
            errors.setdefault("role", []).append(
                _("%(department)s is already accountable for this activity %(where)s, and only one department "
                  "can be. Make it responsible, consulted or informed first, or choose another role.")
                % {"department": accountable.department, "where": _where(responsibility)})
    return errors


@transaction.atomic
def responsibility_save(*, responsibility: Responsibility, user=None) -> Responsibility:
    """Create or change one cell of the matrix, refused with a sentence when it contradicts another."""
    conflicts = responsibility_conflicts(responsibility)
    if conflicts:
        raise ValidationError(conflicts)
    responsibility.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            responsibility.save()
    except IntegrityError:
        # Someone saved a contradicting cell between the check and the write.
        raise ValidationError(responsibility_conflicts(responsibility) or _(
            "This role contradicts another one just saved; reload the matrix and try again."))
    return responsibility
