"""`python manage.py grant_access`: give, take back or list object grants (django-guardian).

Roles come from group membership (Settings → Users in the admin). Object grants are for what a
role does not reach by itself: a GAC officer who must change one CBSA engagement, a user who acts
for a second department, a reporter group for a new partner.

    grant_access --user alex --perm engagements.change_engagement --object engagements.engagement:42
    grant_access --group "GAC officers" --perm engagements.act_for_department --object engagements.department:ps
    grant_access --user alex --perm engagements.change_engagement --object engagements.engagement:42 --revoke
    grant_access --list --object engagements.engagement:42
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError
from guardian.shortcuts import assign_perm, get_groups_with_perms, get_users_with_perms, remove_perm

from mcee import access
from mcee.audit import COMMAND, audit_source


def _object(spec: str):
    try:
        label, key = spec.rsplit(":", 1)
        model = apps.get_model(label)
    except (ValueError, LookupError):
        raise CommandError(f"--object takes app_label.model:id, for example engagements.engagement:42 (got {spec!r}).")
    try:
        access.rule_for(model)
    except LookupError as exc:
        raise CommandError(str(exc))
    field = "code" if model._meta.model_name == "department" and not key.isdigit() else "pk"
    try:
        return model._default_manager.get(**{field: key})
    except (ObjectDoesNotExist, ValueError):
        raise CommandError(f"No {model._meta.verbose_name} {key!r}.")


class Command(BaseCommand):
    help = "Give (or take back, or list) a permission on one object to a user or a group."

    def add_arguments(self, parser):
        who = parser.add_mutually_exclusive_group()
        who.add_argument("--user", help="Username")
        who.add_argument("--group", help="Group name, e.g. 'GAC officers'")
        parser.add_argument("--perm", help="app_label.codename, e.g. engagements.change_engagement")
        parser.add_argument("--object", required=True, help="app_label.model:id, e.g. engagements.engagement:42")
        parser.add_argument("--revoke", action="store_true", help="Take the grant back.")
        parser.add_argument("--list", action="store_true", help="List the grants on the object.")

    def handle(self, *args, **options):
        obj = _object(options["object"])
        if options["list"]:
            for user, perms in get_users_with_perms(obj, attach_perms=True, with_group_users=False).items():
                self.stdout.write(f"user {user.username}: {', '.join(sorted(perms))}")
            for group, perms in get_groups_with_perms(obj, attach_perms=True).items():
                self.stdout.write(f"group {group.name}: {', '.join(sorted(perms))}")
            return
        if not options["perm"] or not (options["user"] or options["group"]):
            raise CommandError("Give --perm and one of --user or --group (or use --list).")
        try:
            holder = (get_user_model().objects.get(username=options["user"]) if options["user"]
                      else Group.objects.get(name=options["group"]))
        except ObjectDoesNotExist:
            raise CommandError(f"No such {'user' if options['user'] else 'group'}.")
        app_label, _, codename = options["perm"].partition(".")
        if app_label != obj._meta.app_label:
            raise CommandError(f"{options['perm']} is not a permission of {obj._meta.label_lower}.")
        with audit_source(COMMAND):
            try:
                if options["revoke"]:
                    remove_perm(codename, holder, obj)
                else:
                    assign_perm(codename, holder, obj)
            except ObjectDoesNotExist:
                raise CommandError(f"No permission {options['perm']}.")
        verb = "Took back" if options["revoke"] else "Granted"
        self.stdout.write(self.style.SUCCESS(f"{verb} {options['perm']} on {obj} for {holder}."))
