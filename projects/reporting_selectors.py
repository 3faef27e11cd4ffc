"""Reads of partner reporting: the reports overdue and those due soon (listings, dashboard, reminders) and
who reports for a partner. Query counts do not grow with rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q

from .models import (
    OPEN_STATUSES,
    Partner,
    PartnerGroupObjectPermission,
    PartnerReport,
    PartnerUserObjectPermission,
    Project,
)


def overdue_q(today: dt.date) -> Q:
    """Reports not (re)submitted after their due date. A report due today is not overdue."""
    return Q(status__in=OPEN_STATUSES, due_on__lt=today)


def due_q(today: dt.date, within_days: int) -> Q:
    """Reports to (re)submit, due between today (included) and ``within_days`` days from now (included)."""
    return Q(status__in=OPEN_STATUSES, due_on__gte=today, due_on__lte=today + dt.timedelta(days=within_days))


@dataclass(frozen=True)
class ReportDue:
    report: PartnerReport
    project: Project
    partner: Partner
    period_label: str
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date
    status: str
    days_overdue: int  # 0 when not yet late
    days_left: int  # negative when late


def _rows(queryset, today: dt.date) -> list[ReportDue]:
    return [ReportDue(report=r, project=r.project, partner=r.project.partner, period_label=r.period_label,
                      period_start=r.period_start, period_end=r.period_end, due_on=r.due_on, status=r.status,
                      days_overdue=max((today - r.due_on).days, 0), days_left=(r.due_on - today).days)
            for r in queryset.select_related("project__partner").order_by("due_on", "project__reference", "pk")]


def partner_reports_overdue(*, today: dt.date, projects=None) -> list[ReportDue]:
    """Reports overdue on ``today`` (oldest first), optionally among some projects (a queryset, projects or
    ids: pass ``access.visible(user, Project)`` to keep to what a user may see). One query."""
    queryset = PartnerReport.objects.filter(overdue_q(today))
    if projects is not None:
        queryset = queryset.filter(project__in=projects)
    return _rows(queryset, today)


def partner_reports_due(*, today: dt.date, within_days: int, projects=None) -> list[ReportDue]:
    """Reports due from today to ``within_days`` days ahead and not yet submitted. One query."""
    queryset = PartnerReport.objects.filter(due_q(today, within_days))
    if projects is not None:
        queryset = queryset.filter(project__in=projects)
    return _rows(queryset, today)


def partner_reporters(*, partner_ids) -> dict[int, list]:
    """For each partner id, the active users who report for it (through their group's ``view_partner``
    grant or one of their own), with their preferences. Four queries, whatever the number of partners."""
    from .access import REPORTER_GRANT

    User = get_user_model()
    partner_ids = list(set(partner_ids))
    by_group = defaultdict(set)
    for partner_id, group_id in PartnerGroupObjectPermission.objects.filter(
            content_object__in=partner_ids, permission__codename=REPORTER_GRANT).values_list("content_object",
                                                                                            "group_id"):
        by_group[group_id].add(partner_id)
    direct = defaultdict(set)
    for partner_id, user_id in PartnerUserObjectPermission.objects.filter(
            content_object__in=partner_ids, permission__codename=REPORTER_GRANT).values_list("content_object",
                                                                                           "user_id"):
        direct[user_id].add(partner_id)
    users = (User.objects.filter(Q(groups__in=list(by_group)) | Q(pk__in=list(direct)), is_active=True)
             .select_related("wagtail_userprofile").prefetch_related("groups").distinct().order_by("pk"))
    found: dict[int, list] = {pk: [] for pk in partner_ids}
    for user in users:
        partners = set(direct.get(user.pk, set()))
        for group in user.groups.all():
            partners |= by_group.get(group.pk, set())
        for partner_id in sorted(partners):
            found[partner_id].append(user)
    return found
