"""The daily reminders: who gets what, in which language, and never twice for the same event."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as MemoryBackend
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.users.models import UserProfile

from engagements.models import Department, Engagement, EngagementStatus, FollowUp, FollowUpStatus, ReminderSent
from engagements.services.reminders import (
    ENGAGEMENT_SOON,
    FOLLOW_UP_DUE,
    FOLLOW_UP_OVERDUE,
    engagement_reminders,
    follow_up_reminders,
    send_reminders,
)
from mcee.roles import STANDING_ROLES, sync_role_group
from projects.models import KeyMessage, KeyMessageStatus
from tests.factories import CountryFactory, ProjectCountryFactory, ProjectFactory

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2025, 6, 10)
MAILBOX = "cbsa-reminders@example.invalid"


@pytest.fixture
def cbsa():
    department = Department.objects.get(code="cbsa")
    department.reminder_email = MAILBOX
    department.save()
    return department


@pytest.fixture
def people(django_user_model):
    """People with an address; ``role`` names the group they belong to (a GAC officer by default)."""

    def person(username, language="", active=True, email=None, role="officer_gac"):
        user = django_user_model.objects.create_user(
            username, email=f"{username}@example.invalid" if email is None else email, password="x-not-used-0123",
            is_active=active)
        if role:
            group = next(r for r in STANDING_ROLES if r.code == role)
            sync_role_group(group, Group, Permission)
            user.groups.add(Group.objects.get(name=group.group_name))
        if language:
            profile = UserProfile.get_for_user(user)
            profile.preferred_language = language
            profile.save()
        return user

    return person


@pytest.fixture
def xa():
    return CountryFactory(code="XA")


@pytest.fixture
def engagement(xa, cbsa):
    return Engagement.objects.create(country=xa, date=D(2025, 5, 1), status=EngagementStatus.HELD,
                                     kind="ottawa_bilateral", level="dg", lead_department=cbsa,
                                     counterpart_institution="Ministry of the Interior (fictional)")


def follow_up(engagement, due, owner=None, department=None, **values):
    return FollowUp.objects.create(engagement=engagement, action=values.pop("action", "Send the list of cases"),
                                   owner_department=department or engagement.lead_department, owner=owner,
                                   due_date=due, **values)


def sent_to(address):
    return [m for m in mail.outbox if address in m.to]


# --- follow-ups -------------------------------------------------------------------------------------


def test_due_today_is_due_soon_and_due_yesterday_is_overdue(engagement, people):
    today_one = follow_up(engagement, TODAY, owner=people("ana"))
    late_one = follow_up(engagement, TODAY - dt.timedelta(days=1), owner=people("ben"))
    kinds = {(r.event, r.address) for r in follow_up_reminders(today=TODAY)}
    assert (f"{FOLLOW_UP_DUE}:{today_one.pk}:2025-06-10", "ana@example.invalid") in kinds
    assert (f"{FOLLOW_UP_OVERDUE}:{late_one.pk}:2025-06-09", "ben@example.invalid") in kinds
    assert not any(event.startswith(FOLLOW_UP_OVERDUE) and str(today_one.pk) in event for event, _ in kinds)


def test_the_due_soon_window_is_the_setting_today_included(engagement, people, settings):
    settings.MCEE_REMINDER_FOLLOW_UP_DAYS = 3
    inside = follow_up(engagement, TODAY + dt.timedelta(days=3), owner=people("ana"))
    follow_up(engagement, TODAY + dt.timedelta(days=4), owner=people("ben"))
    assert {r.event for r in follow_up_reminders(today=TODAY)} == {f"{FOLLOW_UP_DUE}:{inside.pk}:2025-06-13"}


def test_a_done_or_cancelled_follow_up_gets_nothing(engagement, people):
    follow_up(engagement, TODAY, owner=people("ana"), status=FollowUpStatus.DONE, completed_on=TODAY)
    follow_up(engagement, TODAY - dt.timedelta(days=5), owner=people("ben"), status=FollowUpStatus.CANCELLED)
    run = send_reminders(today=TODAY)
    assert mail.outbox == []
    assert run.results[FOLLOW_UP_DUE].sent == run.results[FOLLOW_UP_OVERDUE].sent == 0


def test_sent_once_across_two_runs(engagement, people):
    follow_up(engagement, TODAY + dt.timedelta(days=2), owner=people("ana"))
    first = send_reminders(today=TODAY)
    assert first.results[FOLLOW_UP_DUE].sent == 2  # the owner and the department's mailbox
    assert len(mail.outbox) == 2
    second = send_reminders(today=TODAY + dt.timedelta(days=1))
    assert len(mail.outbox) == 2
    assert second.results[FOLLOW_UP_DUE].sent == 0
    assert second.results[FOLLOW_UP_DUE].already_sent == 2
    assert ReminderSent.objects.count() == 2


def test_overdue_is_a_new_event_after_due_soon_and_is_sent_once(engagement, people):
    item = follow_up(engagement, TODAY, owner=people("ana"))
    send_reminders(today=TODAY)
    send_reminders(today=TODAY + dt.timedelta(days=1))
    send_reminders(today=TODAY + dt.timedelta(days=2))
    events = sorted(ReminderSent.objects.filter(recipient="ana@example.invalid").values_list("event", flat=True))
    assert events == [f"{FOLLOW_UP_DUE}:{item.pk}:2025-06-10", f"{FOLLOW_UP_OVERDUE}:{item.pk}:2025-06-10"]
    assert len(sent_to("ana@example.invalid")) == 2


def test_a_changed_due_date_is_a_new_reminder(engagement, people):
    item = follow_up(engagement, TODAY + dt.timedelta(days=1), owner=people("ana"))
    send_reminders(today=TODAY)
    assert len(sent_to("ana@example.invalid")) == 1
    item.due_date = TODAY + dt.timedelta(days=2)
    item.save()
    send_reminders(today=TODAY)
    assert len(sent_to("ana@example.invalid")) == 2
    assert "2025-06-12" in sent_to("ana@example.invalid")[-1].subject


def test_an_inactive_owner_or_one_without_an_address_gets_nothing_but_the_mailbox_does(engagement, people):
    follow_up(engagement, TODAY, owner=people("gone", active=False))
    follow_up(engagement, TODAY, owner=people("noaddress", email=""))
    send_reminders(today=TODAY)
    assert [m.to for m in mail.outbox] == [[MAILBOX], [MAILBOX]]


def test_a_follow_up_without_owner_or_mailbox_is_skipped(engagement):
    gac = Department.objects.get(code="gac")
    assert not gac.reminder_email
    follow_up(engagement, TODAY, department=gac)
    assert follow_up_reminders(today=TODAY) == []


def test_english_for_an_english_user_french_for_a_french_one(engagement, people):
    follow_up(engagement, TODAY + dt.timedelta(days=2), owner=people("ana", language="en"))
    follow_up(engagement, TODAY + dt.timedelta(days=2), owner=people("benoit", language="fr"))
    follow_up(engagement, TODAY + dt.timedelta(days=2), owner=people("chris"))  # no preference: the site's default
    send_reminders(today=TODAY)
    english = sent_to("ana@example.invalid")[0]
    french = sent_to("benoit@example.invalid")[0]
    default = sent_to("chris@example.invalid")[0]
    assert english.body.splitlines()[0] == "PROTECTED B"
    assert english.extra_headers["Content-Language"] == "en"
    assert "This follow-up action is due on 2025-06-12, in 2 days." in english.body
    assert "Owner department: Canada Border Services Agency (CBSA)" in english.body
    assert english.subject == "MCEE reminder: follow-up action due 2025-06-12"
    assert french.body.splitlines()[0] == "PROTÉGÉ B"
    assert french.extra_headers["Content-Language"] == "fr"
    assert "Agence des services frontaliers du Canada (ASFC)" in french.body  # the department in French
    assert "PROTECTED B" not in french.body
    assert "Ministère responsable\u00a0: Agence" in french.body and "Owner department:" not in french.body
    assert default.body.splitlines()[0] == "PROTECTED B"


def test_a_department_mailbox_gets_both_languages_in_one_message(engagement):
    follow_up(engagement, TODAY - dt.timedelta(days=3))
    send_reminders(today=TODAY)
    (message,) = sent_to(MAILBOX)
    lines = message.body.splitlines()
    assert lines[0] == "PROTECTED B / PROTÉGÉ B"
    assert message.extra_headers["Content-Language"] == "en, fr"
    assert "Canada Border Services Agency (CBSA)" in message.body
    assert "Agence des services frontaliers du Canada (ASFC)" in message.body
    english_at = message.body.index("Canada Border Services Agency")
    french_at = message.body.index("Agence des services frontaliers du Canada")
    assert english_at < french_at  # English, then French
    assert message.subject.startswith("MCEE reminder: follow-up action overdue (due 2025-06-07) / ")
    assert "This follow-up action was due on 2025-06-07, 3 days ago, and is still open." in message.body


class FailingForOne(MemoryBackend):
    """The in-memory backend, failing for one address as an SMTP server refusing it would."""

    refused = "ben@example.invalid"

    def send_messages(self, messages):
        if any(self.refused in m.to for m in messages):
            raise OSError("550 mailbox unavailable")
        return super().send_messages(messages)


def test_a_failing_send_leaves_no_ledger_row_and_does_not_stop_the_others(engagement, people, settings):
    settings.EMAIL_BACKEND = "tests.engagements.test_reminders.FailingForOne"
    follow_up(engagement, TODAY, owner=people("ana"))
    follow_up(engagement, TODAY, owner=people("ben"))
    follow_up(engagement, TODAY, owner=people("cleo"))
    run = send_reminders(today=TODAY)
    assert run.results[FOLLOW_UP_DUE].failed == 1
    assert run.results[FOLLOW_UP_DUE].sent == 5  # ana, cleo and the mailbox three times
    assert not ReminderSent.objects.filter(recipient="ben@example.invalid").exists()
    assert ReminderSent.objects.filter(recipient="cleo@example.invalid").exists()
    # The next run tries it again, once the server takes it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    again = send_reminders(today=TODAY)
    assert again.results[FOLLOW_UP_DUE].sent == 1
    assert len(sent_to("ben@example.invalid")) == 1


def test_the_command_exits_non_zero_when_a_message_failed(engagement, people, settings):
    settings.EMAIL_BACKEND = "tests.engagements.test_reminders.FailingForOne"
    follow_up(engagement, TODAY, owner=people("ben"))
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 reminder could not be sent"):
        call_command("send_reminders", "--today", "2025-06-10", stdout=out)
    assert "Follow-ups due soon: 1 sent, 0 already sent, 1 failed." in out.getvalue()


# --- engagements ------------------------------------------------------------------------------------


@pytest.fixture
def messages_world(xa):
    """XA has an approved, a draft and a retired message; XB an approved one."""
    xb = CountryFactory(code="XB")
    project = ProjectFactory(reference="MCEE-KM-001")
    ProjectCountryFactory(project=project, country=xa, share=50)
    ProjectCountryFactory(project=project, country=xb, share=50)
    now = dt.datetime(2025, 5, 1, tzinfo=dt.UTC)

    def message(country, status, text):
        return KeyMessage.objects.create(project=project, country=country, status=status, text_en=f"{text} (en)",
                                         text_fr=f"{text} (fr)",
                                         approved_at=now if status != KeyMessageStatus.DRAFT else None)

    return {"approved": message(xa, KeyMessageStatus.APPROVED, "XA-APPROVED"),
            "draft": message(xa, KeyMessageStatus.DRAFT, "XA-DRAFT"),
            "retired": message(xa, KeyMessageStatus.RETIRED, "XA-RETIRED"),
            "other": message(xb, KeyMessageStatus.APPROVED, "XB-APPROVED"), "xb": xb}


def planned(country, day, officer, status=EngagementStatus.PLANNED):
    return Engagement.objects.create(country=country, date=day, status=status, kind="in_country_bilateral",
                                     level="adm", lead_department=Department.objects.get(code="gac"),
                                     lead_officer=officer)


def test_the_lead_officer_gets_the_countrys_approved_key_messages_only(xa, messages_world, people):
    officer = people("lead", language="en")
    soon = planned(xa, TODAY + dt.timedelta(days=5), officer)
    run = send_reminders(today=TODAY)
    assert run.results[ENGAGEMENT_SOON].sent == 1
    (message,) = mail.outbox
    assert message.to == ["lead@example.invalid"]
    assert message.subject == "MCEE reminder: engagement with Xandria on 2025-06-15"
    assert message.body.splitlines()[0] == "PROTECTED B"
    assert "You lead an engagement with Xandria on 2025-06-15, in 5 days." in message.body
    assert "- XA-APPROVED (en) [MCEE-KM-001]" in message.body
    for absent in ("XA-DRAFT", "XA-RETIRED", "XB-APPROVED", "(fr)"):
        assert absent not in message.body
    assert ReminderSent.objects.filter(event=f"{ENGAGEMENT_SOON}:{soon.pk}:2025-06-15").exists()


def test_a_french_lead_officer_gets_the_messages_in_french(xa, messages_world, people):
    planned(xa, TODAY, people("dirigeante", language="fr"))
    send_reminders(today=TODAY)
    (message,) = mail.outbox
    assert message.body.splitlines()[0] == "PROTÉGÉ B"
    assert "XA-APPROVED (fr)" in message.body
    assert "XA-APPROVED (en)" not in message.body
    assert "Vous dirigez aujourd’hui un engagement avec Xandrie." in message.body  # the country's French name


def test_a_cancelled_held_or_distant_engagement_gets_nothing(xa, people, settings):
    settings.MCEE_REMINDER_ENGAGEMENT_DAYS = 7
    officer = people("lead")
    planned(xa, TODAY + dt.timedelta(days=2), officer, status=EngagementStatus.CANCELLED)
    planned(xa, TODAY + dt.timedelta(days=8), officer)
    planned(xa, TODAY - dt.timedelta(days=1), officer)  # past, never updated
    planned(xa, TODAY + dt.timedelta(days=1), None)  # no lead officer
    assert engagement_reminders(today=TODAY) == []
    inside = planned(xa, TODAY + dt.timedelta(days=7), officer)
    assert [r.event for r in engagement_reminders(today=TODAY)] == [f"{ENGAGEMENT_SOON}:{inside.pk}:2025-06-17"]


def test_a_moved_engagement_is_reminded_again(xa, people):
    soon = planned(xa, TODAY + dt.timedelta(days=2), people("lead"))
    send_reminders(today=TODAY)
    send_reminders(today=TODAY)
    soon.date = TODAY + dt.timedelta(days=4)
    soon.save()
    send_reminders(today=TODAY)
    assert len(mail.outbox) == 2


def test_no_approved_message_is_said(xa, people):
    planned(xa, TODAY + dt.timedelta(days=1), people("lead"))
    send_reminders(today=TODAY)
    assert "No key message is approved for Xandria yet." in mail.outbox[0].body


def test_a_lead_officer_whose_role_does_not_read_key_messages_gets_none(xa, messages_world, people):
    planned(xa, TODAY + dt.timedelta(days=1), people("outsider", role=None))
    send_reminders(today=TODAY)
    body = mail.outbox[0].body
    assert "XA-APPROVED" not in body
    assert "Key messages are not included: your role does not give access to them." in body


# --- the command and its dry run --------------------------------------------------------------------


def test_the_dry_run_sends_and_writes_nothing(engagement, xa, people):
    follow_up(engagement, TODAY, owner=people("ana"))
    planned(xa, TODAY + dt.timedelta(days=3), people("lead"))
    out = io.StringIO()
    call_command("send_reminders", "--today", "2025-06-10", "--dry-run", stdout=out)
    assert mail.outbox == []
    assert ReminderSent.objects.count() == 0
    text = out.getvalue()
    assert "Would send to ana@example.invalid: MCEE reminder: follow-up action due 2025-06-10" in text
    assert "Follow-ups due soon: 2 would be sent, 0 already sent." in text
    assert "Engagements soon: 1 would be sent, 0 already sent." in text


def test_the_command_prints_a_summary_per_kind(engagement, xa, people):
    follow_up(engagement, TODAY - dt.timedelta(days=2), owner=people("ana"))
    planned(xa, TODAY + dt.timedelta(days=3), people("lead"))
    out = io.StringIO()
    call_command("send_reminders", "--today", "2025-06-10", stdout=out)
    assert out.getvalue().splitlines() == [
        "Follow-ups due soon: 0 sent, 0 already sent, 0 failed.",
        "Overdue follow-ups: 2 sent, 0 already sent, 0 failed.",
        "Engagements soon: 1 sent, 0 already sent, 0 failed.",
        "Partner reports due soon: 0 sent, 0 already sent, 0 failed.",
        "Overdue partner reports: 0 sent, 0 already sent, 0 failed.",
    ]
    out = io.StringIO()
    call_command("send_reminders", "--today", "2025-06-10", stdout=out)
    assert "Overdue follow-ups: 0 sent, 2 already sent, 0 failed." in out.getvalue()


def test_a_bad_date_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--today", "10/06/2025")


def test_finding_reminders_takes_the_same_queries_for_one_or_many(engagement, xa, messages_world, people):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            follow_up_reminders(today=TODAY)
            engagement_reminders(today=TODAY)
        return len(captured)

    officer = people("lead")
    follow_up(engagement, TODAY, owner=people("ana"))
    planned(xa, TODAY + dt.timedelta(days=1), officer)
    few = queries()
    for n in range(5):
        follow_up(engagement, TODAY + dt.timedelta(days=n % 3), owner=people(f"owner{n}", language="fr"))
        planned(xa if n % 2 else messages_world["xb"], TODAY + dt.timedelta(days=2), officer)
    assert queries() == few


# --- partner reports ------------------------------------------------------------------------------------


@pytest.fixture
def reports():
    """IOM's project with three half-year reports, due 2024-10-30, 2025-04-30 and 2025-10-30; its reporters."""
    from projects.models import ReportFrequency, ReportSchedule
    from projects.reporting_services import report_schedule_save
    from tests.projects.results_helpers import project_of, reporter

    project = project_of("IOM", start=D(2024, 4, 1), end=D(2025, 9, 30))
    made = report_schedule_save(schedule=ReportSchedule(project=project, frequency=ReportFrequency.SEMI_ANNUAL))
    return {"project": project, "reports": made,
            "english": reporter(project.partner, "iom-en", "iom-en@example.invalid", "en"),
            "french": reporter(project.partner, "iom-fr", "iom-fr@example.invalid", "fr")}


def test_reporters_hear_of_a_report_due_soon_and_once_it_is_overdue_once_each(reports, settings):
    from engagements.services.reminders import REPORT_DUE, REPORT_OVERDUE

    settings.MCEE_REMINDER_REPORT_DAYS = 14
    due = reports["reports"][1]  # due 2025-04-30
    first = send_reminders(today=D(2025, 4, 16))  # 14 days ahead: due soon; the first report is overdue
    assert first.results[REPORT_DUE].sent == 2 and first.results[REPORT_OVERDUE].sent == 2
    send_reminders(today=D(2025, 4, 17))
    send_reminders(today=D(2025, 4, 30))  # due today: still not overdue, and already reminded
    events = sorted(ReminderSent.objects.filter(recipient="iom-en@example.invalid").values_list("event", flat=True))
    assert events == sorted([f"{REPORT_DUE}:{due.pk}:2025-04-30",
                             f"{REPORT_OVERDUE}:{reports['reports'][0].pk}:2024-10-30"])
    send_reminders(today=D(2025, 5, 1))  # the day after: overdue, a new event, sent once
    send_reminders(today=D(2025, 5, 2))
    assert ReminderSent.objects.filter(event=f"{REPORT_OVERDUE}:{due.pk}:2025-04-30").count() == 2
    assert len(sent_to("iom-fr@example.invalid")) == 3


def test_report_reminders_are_in_each_reporter_s_language(reports):
    send_reminders(today=D(2024, 10, 20))
    english, = sent_to("iom-en@example.invalid")
    french, = sent_to("iom-fr@example.invalid")
    reference = reports["project"].reference
    assert english.subject == f"MCEE reminder: report on {reference} due 2024-10-30"
    assert "The report below is due on 2024-10-30, in 10 days." in english.body
    assert english.body.startswith("PROTECTED B")
    # (a subject is one line: its spaces, the non-breaking ones included, are plain spaces)
    assert french.subject == f"Rappel ECEM : rapport sur {reference} à remettre le 2024-10-30"
    assert "Le rapport ci-dessous est à remettre le 2024-10-30, dans 10 jours." in french.body
    assert french.body.startswith("PROTÉGÉ B") and french.extra_headers["Content-Language"] == "fr"


def test_submitted_reports_and_other_partners_reporters_get_nothing(reports):
    from projects.models import PartnerReport, ReportStatus
    from tests.projects.results_helpers import project_of, reporter

    reporter(project_of("UNHCR", country="XB").partner, "unhcr-rep", "unhcr@example.invalid")
    PartnerReport.objects.filter(pk=reports["reports"][0].pk).update(status=ReportStatus.SUBMITTED,
                                                                     submitted_at="2024-10-01T00:00:00Z")
    send_reminders(today=D(2024, 11, 5))
    assert mail.outbox == []


def test_finding_report_reminders_takes_the_same_queries_for_one_or_many(reports):
    from engagements.services.reminders import partner_report_reminders
    from projects.models import ReportFrequency, ReportSchedule
    from projects.reporting_services import report_schedule_save
    from tests.projects.results_helpers import project_of, reporter

    def queries():
        with CaptureQueriesContext(connection) as captured:
            found = partner_report_reminders(today=D(2026, 1, 1))
        return len(captured), len(found)

    few, found = queries()
    assert found == 6  # three overdue reports, two reporters
    for n, acronym in enumerate(("UNHCR", "UNODC", "ARK")):
        project = project_of(acronym, country=f"X{'BCD'[n]}", start=D(2024, 4, 1), end=D(2025, 3, 31))
        report_schedule_save(schedule=ReportSchedule(project=project, frequency=ReportFrequency.QUARTERLY))
        reporter(project.partner, f"rep-{n}", f"rep-{n}@example.invalid", "fr")
    many, found = queries()
    assert found == 6 + 3 * 4 and many == few
