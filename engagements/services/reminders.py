"""Daily reminders by e-mail (``manage.py send_reminders``): follow-ups due soon or overdue, and
engagements happening soon with the country's approved key messages.

- **Follow-ups**: an open follow-up due within ``MCEE_REMINDER_FOLLOW_UP_DAYS`` days (today
  included) is *due soon*; one whose due date has passed is *overdue*. The owner (if active, with
  an address) gets it in their language, and the owner department's shared mailbox in both.
- **Engagements**: a planned engagement within ``MCEE_REMINDER_ENGAGEMENT_DAYS`` days (today
  included) reminds its lead officer, with the country's approved key messages in their language.
- **Partner reports**: a report not yet submitted (or returned and not resubmitted) due within
  ``MCEE_REMINDER_REPORT_DAYS`` days (today included) is *due soon*; one past its due date is
  *overdue*. Each active reporter of the project's partner (with an address) gets it in their language.
- **Once**: each (event, address) is written in the ``ReminderSent`` ledger in the same transaction
  as the sending; a message that fails to send leaves no row (it is tried again the next day) and
  does not stop the others. An event names what it is about and its date
  (``follow-up-due:<pk>:<due date>``), so a changed due date is a new event.
- **Language**: a person's Wagtail preferred language (the site's default when empty); a mailbox
  gets English then French in one message, with both subjects.

Queries do not grow with the number of reminders, apart from one ledger insert per message sent and
the permission lookup of each lead officer.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from mcee import access
from mcee.i18n import active_language
from mcee.markings import marking_for
from projects.models import KeyMessage, KeyMessageStatus

from ..models import Engagement, EngagementStatus, FollowUp, FollowUpStatus, ReminderSent

logger = logging.getLogger(__name__)

FOLLOW_UP_DUE, FOLLOW_UP_OVERDUE, ENGAGEMENT_SOON = "follow-up-due", "follow-up-overdue", "engagement-soon"
REPORT_DUE, REPORT_OVERDUE = "partner-report-due", "partner-report-overdue"
KINDS = (FOLLOW_UP_DUE, FOLLOW_UP_OVERDUE, ENGAGEMENT_SOON, REPORT_DUE, REPORT_OVERDUE)
BILINGUAL = None  # the language of a message to a shared mailbox: English then French
LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class Reminder:
    """One message to one address about one event, not yet rendered."""

    kind: str
    event: str
    address: str
    language: str | None  # "en", "fr", or BILINGUAL
    context: dict[str, Any] = field(hash=False, compare=False)

    @property
    def ledger_recipient(self) -> str:
        return self.address.strip().lower()


@dataclass
class KindResult:
    sent: int = 0
    already_sent: int = 0
    failed: int = 0
    would_send: int = 0  # dry run


@dataclass
class ReminderRun:
    today: dt.date
    dry_run: bool
    results: dict[str, KindResult] = field(default_factory=lambda: {kind: KindResult() for kind in KINDS})
    messages: list[EmailMessage] = field(default_factory=list)  # what was sent (or would be, in a dry run)


def user_language(user) -> str:
    """A person's Wagtail preferred language, else the site's default: "en" or "fr"."""
    try:
        preferred = user.wagtail_userprofile.preferred_language
    except ObjectDoesNotExist:
        preferred = ""
    return active_language(preferred or settings.LANGUAGE_CODE)


def _person(user) -> bool:
    return user is not None and user.is_active and bool((user.email or "").strip())


def _admin_url(url_name: str, pk: int) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(url_name, args=[pk])


def _engagement_url(engagement) -> str:
    return _admin_url("wagtailsnippets_engagements_engagement:inspect", engagement.pk)


def follow_up_reminders(*, today: dt.date) -> list[Reminder]:
    horizon = today + dt.timedelta(days=settings.MCEE_REMINDER_FOLLOW_UP_DAYS)
    follow_ups = (FollowUp.objects.filter(status=FollowUpStatus.OPEN, due_date__lte=horizon)
                  .select_related("owner__wagtail_userprofile", "owner_department", "engagement__country")
                  .order_by("due_date", "pk"))
    reminders = []
    for follow_up in follow_ups:
        overdue = follow_up.is_overdue(today)
        kind = FOLLOW_UP_OVERDUE if overdue else FOLLOW_UP_DUE
        event = f"{kind}:{follow_up.pk}:{follow_up.due_date.isoformat()}"
        context = {"follow_up": follow_up, "engagement": follow_up.engagement,
                   "department": follow_up.owner_department, "overdue": overdue,
                   "days_left": (follow_up.due_date - today).days, "days_late": (today - follow_up.due_date).days,
                   "url": _engagement_url(follow_up.engagement)}
        addresses = set()
        if _person(follow_up.owner):
            address = follow_up.owner.email.strip()
            addresses.add(address.lower())
            reminders.append(Reminder(kind, event, address, user_language(follow_up.owner), context))
        mailbox = (follow_up.owner_department.reminder_email or "").strip()
        if mailbox and mailbox.lower() not in addresses:
            reminders.append(Reminder(kind, event, mailbox, BILINGUAL, context))
    return reminders


def engagement_reminders(*, today: dt.date) -> list[Reminder]:
    horizon = today + dt.timedelta(days=settings.MCEE_REMINDER_ENGAGEMENT_DAYS)
    engagements = list(Engagement.objects.filter(status=EngagementStatus.PLANNED, date__gte=today, date__lte=horizon,
                                                 lead_officer__isnull=False)
                       .select_related("lead_officer__wagtail_userprofile", "country", "lead_department")
                       .order_by("date", "pk"))
    messages_by_country = defaultdict(list)
    for message in (KeyMessage.objects.filter(status=KeyMessageStatus.APPROVED,
                                              country__in={e.country_id for e in engagements})
                    .select_related("project").order_by("project__reference", "pk")):
        messages_by_country[message.country_id].append(message)
    reminders = []
    may_read_messages: dict[int, bool] = {}
    for engagement in engagements:
        officer = engagement.lead_officer
        if not _person(officer):
            continue
        # Approved messages are for every role that reads key messages; a role that does not gets none.
        if officer.pk not in may_read_messages:
            may_read_messages[officer.pk] = bool(access.can(officer, access.VIEW, KeyMessage))
        may_read = may_read_messages[officer.pk]
        context = {"engagement": engagement, "days_left": (engagement.date - today).days,
                   "key_messages": messages_by_country[engagement.country_id] if may_read else [],
                   "key_messages_withheld": not may_read, "url": _engagement_url(engagement)}
        event = f"{ENGAGEMENT_SOON}:{engagement.pk}:{engagement.date.isoformat()}"
        reminders.append(Reminder(ENGAGEMENT_SOON, event, officer.email.strip(), user_language(officer), context))
    return reminders


def partner_report_reminders(*, today: dt.date) -> list[Reminder]:
    """Reports due soon or overdue, to each reporter of the project's partner. The same report overdue is
    one event (reminded once), and due soon another: a partner hears before and after the due date."""
    from projects.selectors import partner_reporters, partner_reports_due, partner_reports_overdue

    rows = (partner_reports_overdue(today=today)
            + partner_reports_due(today=today, within_days=settings.MCEE_REMINDER_REPORT_DAYS))
    reporters = partner_reporters(partner_ids={row.partner.pk for row in rows})
    reminders = []
    for row in rows:
        overdue = row.days_overdue > 0
        kind = REPORT_OVERDUE if overdue else REPORT_DUE
        event = f"{kind}:{row.report.pk}:{row.due_on.isoformat()}"
        context = {"report": row.report, "project": row.project, "partner": row.partner, "overdue": overdue,
                   "days_left": row.days_left, "days_late": row.days_overdue, "returned": row.status == "returned",
                   "url": _admin_url("wagtailsnippets_projects_partnerreport:inspect", row.report.pk)}
        for user in reporters.get(row.partner.pk, []):
            if _person(user):
                reminders.append(Reminder(kind, event, user.email.strip(), user_language(user), context))
    return reminders


def _template_kind(kind: str) -> str:
    if kind in (REPORT_DUE, REPORT_OVERDUE):
        return "partner_report"
    return "engagement" if kind == ENGAGEMENT_SOON else "follow_up"


def _render_one(reminder: Reminder, language: str) -> tuple[str, str]:
    name = _template_kind(reminder.kind)
    with translation.override(language):
        subject = render_to_string(f"engagements/email/{name}_subject.txt", reminder.context)
        body = render_to_string(f"engagements/email/{name}_body.txt", reminder.context)
    return " ".join(subject.split()), body.strip()


def render_reminder(reminder: Reminder) -> tuple[str, str]:
    """(subject, body): plain text, the security marking on the first line of the body."""
    if reminder.language is not BILINGUAL:
        subject, body = _render_one(reminder, reminder.language)
        return subject, f"{marking_for(reminder.language)}\n\n{body}\n"
    rendered = {language: _render_one(reminder, language) for language in LANGUAGES}
    subject = " / ".join(rendered[language][0] for language in LANGUAGES)
    body = render_to_string("engagements/email/bilingual.txt", {
        "marking_en": marking_for("en"), "marking_fr": marking_for("fr"),
        "body_en": rendered["en"][1], "body_fr": rendered["fr"][1]})
    return subject, body.strip() + "\n"


def _message(reminder: Reminder, connection) -> EmailMessage:
    subject, body = render_reminder(reminder)
    language = reminder.language or "en, fr"
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [reminder.address], connection=connection,
                        headers={"Content-Language": language})


def _deliver(reminder: Reminder, connection) -> tuple[str, EmailMessage | None]:
    """Write the ledger row and send, together: ("sent" | "already" | "failed", the message)."""
    message = None
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    ReminderSent.objects.create(event=reminder.event, recipient=reminder.ledger_recipient)
            except IntegrityError:
                return "already", None  # another run sent it meanwhile
            message = _message(reminder, connection)
            message.send(fail_silently=False)
    except Exception:  # a failure to send one message must not stop the others, nor count it as sent
        logger.exception("Reminder %s to %s could not be sent; it will be tried again.", reminder.event,
                         reminder.address)
        return "failed", None
    return "sent", message


def send_reminders(*, today: dt.date | None = None, dry_run: bool = False) -> ReminderRun:
    """Send every reminder due on ``today`` that was not sent before; a dry run sends and writes nothing."""
    today = today or timezone.localdate()
    run = ReminderRun(today=today, dry_run=dry_run)
    reminders = (follow_up_reminders(today=today) + engagement_reminders(today=today)
                 + partner_report_reminders(today=today))
    done = set(ReminderSent.objects.filter(event__in={r.event for r in reminders})
               .values_list("event", "recipient"))
    pending = []
    for reminder in reminders:
        if (reminder.event, reminder.ledger_recipient) in done:
            run.results[reminder.kind].already_sent += 1
        else:
            pending.append(reminder)
    if dry_run:
        for reminder in pending:
            run.results[reminder.kind].would_send += 1
            run.messages.append(_message(reminder, connection=None))
        return run
    connection = get_connection()  # each send opens it if needed: a server down fails messages, not the run
    for reminder in pending:
        outcome, message = _deliver(reminder, connection)
        result = run.results[reminder.kind]
        if outcome == "sent":
            result.sent += 1
            run.messages.append(message)
        elif outcome == "already":
            result.already_sent += 1
        else:
            result.failed += 1
    return run
