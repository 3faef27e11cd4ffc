"""`python manage.py api_token`: system accounts and their API tokens, from the command line.

    api_token groups                                          # the groups an account may act as
    api_token account --username cbsa-nightly --acts-for "CBSA officers" [--push-travel-documents]
                      [--description TEXT] [--contact EMAIL]
    api_token create --account cbsa-nightly --name "nightly pull" [--expires 2027-03-31]
    api_token list [--account cbsa-nightly]
    api_token revoke PREFIX

The secret of a new token is printed once, on standard output, and stored nowhere (only its hash).
Every change is in the audit trail, from a command (by ``--by USERNAME`` when given). The same
screens are in the admin, for MCET administrators: Settings → API tokens.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mcee.api.tokens import (
    acting_groups,
    api_token_create,
    api_token_revoke,
    extra_permissions_of,
    system_account_create,
)
from mcee.audit import COMMAND, audit_source
from mcee.models import ApiToken, SystemAccount


def _problems(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items())
    return " ".join(exc.messages)


class Command(BaseCommand):
    help = "Create system accounts, create, list and revoke their API tokens (docs/api.md)."

    def add_arguments(self, parser: CommandParser):
        parser.add_argument("--by", help="The MCET administrator doing this, for the audit trail.")
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        sub.add_parser("groups", help="The groups a system account may act as.", called_from_command_line=True)
        account = sub.add_parser("account", help="Create a system account.", called_from_command_line=True)
        account.add_argument("--username", required=True)
        account.add_argument("--acts-for", required=True, help="A department's officers' or a partner's reporters' "
                                                               "group, e.g. \"CBSA officers\" or \"IOM reporters\".")
        account.add_argument("--description", default="")
        account.add_argument("--contact", default="", help="Who to tell about its tokens (e-mail).")
        account.add_argument("--push-travel-documents", action="store_true",
                             help="May push travel-document batches (cases and monthly figures).")
        create = sub.add_parser("create", help="Create a token; its secret is printed once.",
                                called_from_command_line=True)
        create.add_argument("--account", required=True, help="The system account's username.")
        create.add_argument("--name", required=True, help="What the token is for.")
        create.add_argument("--expires", help="Last day the token works (YYYY-MM-DD); none by default.")
        listing = sub.add_parser("list", help="List tokens (never their secrets).", called_from_command_line=True)
        listing.add_argument("--account")
        revoke = sub.add_parser("revoke", help="Revoke a token at once.", called_from_command_line=True)
        revoke.add_argument("prefix", help="The token's prefix, as listed.")

    def handle(self, *args, **options):
        actor = self._actor(options.get("by"))
        with audit_source(COMMAND, actor=actor):
            getattr(self, f"do_{options['action']}")(options, actor)

    def _actor(self, username):
        if not username:
            return None
        from mcee.access import roles_of
        from mcee.roles import MCET_ADMIN

        user = get_user_model().objects.filter(username=username).first()
        if user is None or not (user.is_superuser or MCET_ADMIN.code in roles_of(user)):
            raise CommandError(f"{username!r} is not an MCET administrator.")
        return user

    def do_groups(self, options, actor):
        for group in acting_groups():
            self.stdout.write(group.name)

    def do_account(self, options, actor):
        group = Group.objects.filter(name=options["acts_for"]).first()
        if group is None:
            raise CommandError(f"No group {options['acts_for']!r}; see `api_token groups`.")
        try:
            account = system_account_create(
                username=options["username"], group=group, description=options["description"],
                contact_email=options["contact"], user=actor,
                permissions=["push_travel_documents"] if options["push_travel_documents"] else [])
        except ValidationError as exc:
            raise CommandError(_problems(exc))
        self.stdout.write(self.style.SUCCESS(f"System account {account} acts as {group.name}."))

    def do_create(self, options, actor):
        account = SystemAccount.objects.filter(user__username=options["account"]).first()
        if account is None:
            raise CommandError(f"No system account {options['account']!r}.")
        expires_at = None
        if options["expires"]:
            try:
                day = dt.date.fromisoformat(options["expires"])
            except ValueError:
                raise CommandError("--expires takes a date, YYYY-MM-DD.")
            expires_at = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
        try:
            new = api_token_create(account=account, name=options["name"], expires_at=expires_at, user=actor)
        except ValidationError as exc:
            raise CommandError(_problems(exc))
        self.stderr.write(f"Token {new.token.prefix} for {account}. Copy it now: it is shown only this once.")
        self.stdout.write(new.secret)

    def do_list(self, options, actor):
        tokens = ApiToken.objects.select_related("account__user", "account__group").order_by("account__user__username",
                                                                                               "-created_at")
        if options["account"]:
            tokens = tokens.filter(account__user__username=options["account"])
        for token in tokens:
            extras = ",".join(extra_permissions_of(token.account)) or "-"
            last = token.last_used_at.isoformat(timespec="minutes") if token.last_used_at else "never"
            expires = token.expires_at.date().isoformat() if token.expires_at else "never"
            self.stdout.write("\t".join([token.prefix, token.account.user.username, token.account.group.name, extras,
                                         token.name, token.state(), f"expires {expires}", f"last used {last}"]))

    def do_revoke(self, options, actor):
        token = ApiToken.objects.filter(prefix=options["prefix"]).first()
        if token is None:
            raise CommandError(f"No token with the prefix {options['prefix']!r}.")
        api_token_revoke(token=token, user=actor)
        self.stdout.write(self.style.SUCCESS(f"Token {token.prefix} ({token.name}) is revoked."))


