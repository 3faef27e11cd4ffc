"""Create the MCEE role groups and grant each department's officer group the right to act for its
department (django-guardian). The groups' model permissions are set after every migrate from the
table in mcee/roles.py (cms.apps.sync_roles), so a later change to that table needs no migration."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from mcee.roles import OFFICER_DEPARTMENTS, STANDING_ROLES, department_officer_role


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Department = apps.get_model("engagements", "Department")
    Grant = apps.get_model("engagements", "DepartmentGroupObjectPermission")
    for role in STANDING_ROLES:
        Group.objects.get_or_create(name=role.group_name)
    act_for = Permission.objects.get(content_type__app_label="engagements", codename="act_for_department")
    for code in OFFICER_DEPARTMENTS:
        group = Group.objects.get(name=department_officer_role(code).group_name)
        department = Department.objects.get(code=code)
        Grant.objects.get_or_create(group=group, permission=act_for, content_object=department)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_home_pages"),
        ("projects", "0003_object_grants"),
        ("countries", "0002_object_grants"),
        ("engagements", "0003_engagement_and_grants"),
        ("wagtailadmin", "0006_formstate"),
        ("auditlog", "0017_add_actor_email"),
        # After Wagtail gives existing groups its choose permissions, so ours end up exact.
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
