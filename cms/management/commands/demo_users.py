"""`python manage.py demo_users`: one demonstration user per role, with documented passwords.

Development and demo only: it refuses to run where DEBUG is off, so no known password ever
reaches production.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from wagtail.users.models import UserProfile

from mcee.roles import (
    AUDITOR,
    MCET_ADMIN,
    MCET_STAFF,
    RWG_MEMBER,
    department_officer_role,
    partner_reporter_role,
    sync_role_group,
)
from mcee.twofactor import two_factor_required
from projects.models import Partner

# username, role, preferred language, first name, last name
DEMO_USERS = [
    ("mcet.admin", MCET_ADMIN, "en", "Alex", "Admin"),
    ("mcet.staff", MCET_STAFF, "en", "Sam", "Staff"),
    ("cbsa.officer", department_officer_role("cbsa"), "en", "Casey", "Officer"),
    ("gac.officer", department_officer_role("gac"), "fr", "Camille", "Agente"),
    ("rwg.member", RWG_MEMBER, "en", "Robin", "Member"),
    ("iom.reporter", partner_reporter_role("IOM"), "en", "Ira", "Reporter"),
    ("auditor", AUDITOR, "fr", "Dominique", "Vérificatrice"),
]


DEMO_BACKUP_CODES = [f"mcee-demo-{n}" for n in range(1, 11)]


def demo_password(username: str) -> str:
    return f"demo-{username.replace('.', '-')}-2026"


def reset_demo_backup_codes(user) -> list[str]:
    """MCET administrators must give a second factor: give the demo one ten one-time backup codes."""
    StaticDevice.objects.filter(user=user, name="Demo backup codes").delete()
    device = StaticDevice.objects.create(user=user, name="Demo backup codes", confirmed=True)
    for code in DEMO_BACKUP_CODES:
        StaticToken.objects.create(device=device, token=code)
    return DEMO_BACKUP_CODES


class Command(BaseCommand):
    help = "Create or reset one demo user per role (development and demo only)."

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_users runs only with DEBUG on (development or demo settings).")
        if not Partner.objects.filter(acronym="IOM").exists():
            raise CommandError("Load the demo data first: python manage.py seed_demo")
        User = get_user_model()
        rows, codes = [], []
        for username, role, language, first, last in DEMO_USERS:
            sync_role_group(role, Group, Permission)
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.email = f"{username}@example.invalid"
            user.is_active, user.is_staff, user.is_superuser = True, False, False
            user.set_password(demo_password(username))
            user.save()
            user.groups.set([Group.objects.get(name=role.group_name)])
            profile = UserProfile.get_for_user(user)
            profile.preferred_language = language
            profile.save()
            rows.append((username, demo_password(username), str(role.group_name), language))
            user._mcee_roles = None
            if two_factor_required(user):
                codes.extend(reset_demo_backup_codes(user))
        self.stdout.write("Demo users (sign in at http://127.0.0.1:8000/admin/):")
        for username, password, group, language in rows:
            self.stdout.write(f"  {username:<14} {password:<28} {group} [{language}]")
        if codes:
            self.stdout.write("mcet.admin must also give a second factor: use one of these one-time backup codes "
                              f"(reset on every run): {', '.join(codes)}")
