"""Writes of dissemination (Recommendation 2b): recording what was sent to which departments, and a
department acknowledging that it reached it.

Who acknowledges: an officer acting for the receiving department (``act_for_department``), and
nobody else, MCET included: the figures say what reached the departments by their own word.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mcee import access
from projects.models import KeyMessage, KeyMessageStatus

from ..access import departments_acted_for
from ..models import Department, Distribution, DistributionItem, DistributionRecipient


def unapproved_key_messages(chosen: Iterable[KeyMessage], *, already_linked: Iterable[int] = ()) -> list[KeyMessage]:
    """The chosen messages that may not be newly linked: only approved ones leave MCET. A message
    linked before it was retired stays linked (the record says what was sent then)."""
    kept = set(already_linked)
    return [m for m in chosen if m.status != KeyMessageStatus.APPROVED and m.pk not in kept]


def _key_message_errors(chosen: list[KeyMessage], already_linked: set[int]) -> list[str]:
    refused = unapproved_key_messages(chosen, already_linked=already_linked)
    if not refused:
        return []
    return [_("Only approved key messages can be disseminated; not: %(messages)s.")
            % {"messages": "; ".join(str(m) for m in refused)}]


def distribution_problems(*, distribution: Distribution, department_ids: list[int],
                          key_messages: list[KeyMessage]) -> dict[str, list[str]]:
    """Field → sentences saying what is wrong with recording this distribution (empty when nothing):
    the checks of ``distribution_record``, also run by the admin form before anything is saved."""
    errors: dict[str, list[str]] = {}
    if distribution.sent_on and distribution.sent_on > timezone.localdate():
        errors.setdefault("sent_on", []).append(
            _("A distribution is recorded once it is sent: the date cannot be still to come."))
    if not department_ids:
        errors.setdefault("__all__", []).append(_("Add at least one department the distribution was sent to."))
    elif len(set(department_ids)) != len(department_ids):
        errors.setdefault("__all__", []).append(_("A department is listed twice; list each department once."))
    if distribution.pk is not None:
        acknowledged_gone = (DistributionRecipient.objects.filter(distribution_id=distribution.pk,
                                                                  acknowledged_at__isnull=False)
                             .exclude(department_id__in=department_ids).select_related("department"))
        for row in acknowledged_gone:
            errors.setdefault("__all__", []).append(
                _("%(department)s has acknowledged this distribution: it cannot be removed from it.")
                % {"department": row.department})
    already = set() if distribution.pk is None else set(
        KeyMessage.objects.filter(distributions=distribution.pk).values_list("pk", flat=True))
    if message_errors := _key_message_errors(key_messages, already):
        errors.setdefault("key_messages", []).extend(message_errors)
    if distribution.item == DistributionItem.KEY_MESSAGES and not key_messages:
        errors.setdefault("key_messages", []).append(_("Choose the key messages that were sent."))
    return errors


@transaction.atomic
def distribution_record(*, distribution: Distribution, user, departments: Iterable[Department] | None = None,
                        key_messages: Iterable[KeyMessage] | None = None) -> Distribution:
    """Record a distribution (new, or corrected) with the departments it went to.

    ``departments`` and ``key_messages`` replace those of the distribution when given; otherwise
    the ones already set on it (by the admin form, in memory) are kept. The user who records a new
    distribution is its sender. Refused, with a sentence: a date still to come, no department, a
    department twice, a key message that is not approved, a key-messages distribution without any,
    and removing a department that has already acknowledged it.
    """
    creating = distribution.pk is None
    if creating:
        distribution.sent_by = user if getattr(user, "is_authenticated", False) else None
    if departments is not None:
        current = {} if creating else {r.department_id: r for r in distribution.recipients.all()}
        distribution.recipients = [current.get(d.pk) or DistributionRecipient(department=d) for d in departments]
    if key_messages is not None:
        distribution.key_messages = list(key_messages)

    recipients = list(distribution.recipients.all())
    errors = distribution_problems(distribution=distribution, department_ids=[r.department_id for r in recipients],
                                   key_messages=list(distribution.key_messages.all()))
    try:
        distribution.full_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    for recipient in recipients:
        try:
            recipient.full_clean(exclude=["distribution"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors.setdefault("__all__", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    distribution.save()  # with its recipients and key messages (modelcluster commits them together)
    return distribution


@transaction.atomic
def distribution_acknowledge(*, recipient: DistributionRecipient, user) -> DistributionRecipient:
    """The receiving department says the distribution reached it: when, and who said so.

    A row outside the user's reach raises ``PermissionDenied`` (views answer 404 for it, as the
    policy says); acknowledging twice, or for a department the user does not act for, is refused.
    """
    decision = access.can(user, access.CHANGE, recipient)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    locked = (DistributionRecipient.objects.select_for_update(of=("self",))
              .select_related("department", "distribution").get(pk=recipient.pk))
    if not departments_acted_for(user).filter(pk=locked.department_id).exists():
        raise ValidationError(_("Only an officer of %(department)s can acknowledge what reached it.")
                              % {"department": locked.department})
    if locked.acknowledged_at is not None:
        raise ValidationError(_("%(department)s already acknowledged this distribution on %(date)s.")
                              % {"department": locked.department,
                                 "date": timezone.localtime(locked.acknowledged_at).date().isoformat()})
    now = timezone.now()
    if timezone.localtime(now).date() < locked.distribution.sent_on:
        raise ValidationError(_("This distribution is dated %(date)s: it can be acknowledged from that day.")
                              % {"date": locked.distribution.sent_on.isoformat()})
    locked.acknowledged_at = now
    locked.acknowledged_by = user
    locked.full_clean()
    locked.save()
    return locked
