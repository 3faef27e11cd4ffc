"""Object grants widen a role's reach object by object, and are given and taken back by command."""

import io

import pytest
from django.core.management import CommandError, call_command

from mcee import access

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("grant_access", *args, stdout=out)
    return out.getvalue()


def test_a_grant_opens_one_engagement_to_an_officer_of_another_department(user_with_role, world):
    officer = user_with_role("officer_gac")
    cbsa_engagement, _ = world["engagements.engagement"]
    assert not access.can(officer, "change", cbsa_engagement)
    run("--user", officer.username, "--perm", "engagements.change_engagement",
        "--object", f"engagements.engagement:{cbsa_engagement.pk}")
    officer = type(officer).objects.get(pk=officer.pk)  # a fresh user, as on the next request
    assert access.can(officer, "change", cbsa_engagement)
    assert "user u-officer_gac: change_engagement" in run("--list", "--object",
                                                          f"engagements.engagement:{cbsa_engagement.pk}")
    run("--user", officer.username, "--perm", "engagements.change_engagement",
        "--object", f"engagements.engagement:{cbsa_engagement.pk}", "--revoke")
    officer = type(officer).objects.get(pk=officer.pk)
    assert not access.can(officer, "change", cbsa_engagement)


def test_acting_for_a_second_department(user_with_role, world):
    officer = user_with_role("officer_ps")
    cbsa_engagement, gac_engagement = world["engagements.engagement"]
    assert not access.can(officer, "view", gac_engagement)
    run("--user", officer.username, "--perm", "engagements.act_for_department",
        "--object", "engagements.department:gac")
    assert access.can(officer, "change", gac_engagement)
    assert not access.can(officer, "view", cbsa_engagement)


def test_a_new_partner_gets_its_reporter_group_and_nothing_more(user_with_role, world, django_user_model):
    from django.contrib.auth.models import Group

    from projects.models import Partner

    Partner.objects.create(acronym="NEWP", name_en="New partner", organisation_type="21")
    reporter = django_user_model.objects.create_user("newp-reporter")
    reporter.groups.add(Group.objects.get(name="NEWP reporters"))
    inside, outside = world["projects.project"]
    assert not access.can(reporter, "view", inside) and not access.can(reporter, "view", outside)


@pytest.mark.parametrize(("args", "message"), [
    (["--object", "nothing"], "--object takes app_label.model:id"),
    (["--object", "auth.user:1", "--perm", "auth.view_user", "--group", "Auditors"], "has no access rule"),
    (["--object", "engagements.engagement:999999", "--perm", "engagements.view_engagement", "--group", "Auditors"],
     "No engagement"),
    (["--object", "engagements.department:gac", "--perm", "projects.view_project", "--group", "Auditors"],
     "is not a permission of engagements.department"),
    (["--object", "engagements.department:gac", "--perm", "engagements.act_for_department", "--group", "Nobody"],
     "No such group"),
    (["--object", "engagements.department:gac"], "Give --perm"),
])
def test_bad_arguments_are_refused_clearly(args, message, world):
    with pytest.raises(CommandError, match=message):
        run(*args)
