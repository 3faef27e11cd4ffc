"""The audit trail records who changed what (before/after), when and from where, on every path."""

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.urls import reverse

from countries.models import CountryClassification
from mcee.models import ImportRun
from projects.imports import portfolio_import
from projects.models import Project

pytestmark = pytest.mark.django_db

EXAMPLES = "docs/examples/portfolio.xlsx"


def entries_for(obj):
    return LogEntry.objects.get_for_object(obj).order_by("timestamp", "pk")


def test_a_change_in_the_admin_records_actor_source_address_and_before_after(admin_client, superuser, world):
    project = world["projects.project"][0]
    url = reverse("wagtailsnippets_projects_project:edit", args=[project.pk])
    form = admin_client.get(url).context["form"]
    data = {name: field.value() for name, field in ((n, form[n]) for n in form.fields)}
    data = {k: ("" if v is None else v) for k, v in data.items() if not isinstance(v, list)}
    data["priority_areas"] = []
    data["approved_amount"] = "150000.00"
    for prefix, formset in form.formsets.items():
        management = formset.management_form
        for name in management.fields:
            data[f"{prefix}-{name}"] = management[name].value()
        for i, sub in enumerate(formset.forms):
            for name in sub.fields:
                value = sub[name].value()
                data[f"{prefix}-{i}-{name}"] = "" if value is None else value
    response = admin_client.post(url, data, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = entries_for(project).filter(action=LogEntry.Action.UPDATE).last()
    assert entry.actor == superuser
    assert entry.remote_addr == "10.1.2.3"
    assert entry.additional_data == {"source": "admin"}
    assert entry.changes_dict["approved_amount"] == ["100000.00", "150000.00"]


def test_an_import_records_its_run_with_counts_and_each_change_as_an_import(django_user_model):
    user = django_user_model.objects.create_user("importer")
    portfolio_import(path=EXAMPLES, user=user)
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.SUCCEEDED
    assert run.user == user and run.file_name == "portfolio.xlsx" and len(run.checksum) == 64
    assert run.counts["projects"]["created"] == Project.objects.count() > 0
    run_entry = LogEntry.objects.get_for_object(run).get(action=LogEntry.Action.CREATE)
    assert run_entry.actor == user
    project_entry = entries_for(Project.objects.first()).first()
    assert project_entry.actor == user
    assert project_entry.additional_data == {"source": "import"}


def test_a_refused_import_is_recorded_with_its_errors_and_writes_nothing(tmp_path, django_user_model):
    bad = tmp_path / "bad.csv"
    bad.write_text("nothing,useful\n1,2\n", encoding="utf-8")
    with pytest.raises(Exception):  # noqa: B017 (the import's own rejection)
        portfolio_import(path=bad)
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.REJECTED
    assert run.errors and all("reason" in e for e in run.errors)
    assert Project.objects.count() == 0


def test_a_command_records_changes_as_from_a_command():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    entry = entries_for(Project.objects.get(reference="MCEE-2019-001")).first()
    assert entry.additional_data == {"source": "command"}
    assert entry.actor is None


def test_a_service_change_records_before_and_after_of_a_classification(world):
    classification = world["countries.countryclassification"][0]
    classification.category = "preventive"
    classification.save()
    entry = entries_for(classification).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes_dict["category"] == ["recalcitrant", "preventive"]


def test_a_delete_is_recorded(world):
    engagement = world["engagements.engagement"][1]
    pk = engagement.pk
    engagement.delete()
    assert LogEntry.objects.filter(object_pk=str(pk), action=LogEntry.Action.DELETE,
                                   content_type__model="engagement").exists()


@pytest.mark.parametrize(("role", "sees_rationale"), [
    ("mcet_admin", True), ("auditor", False),
])
def test_the_audit_trail_restricts_sensitive_fields(role, sees_rationale, client, settings, user_with_role, world):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    classification = world["countries.countryclassification"][0]
    classification.rationale = "NEW-SECRET"
    classification.save()
    entry = entries_for(classification).filter(action=LogEntry.Action.UPDATE).get()
    client.force_login(user_with_role(role))
    page = client.get(reverse("audit_trail:inspect", args=[entry.pk])).content.decode()
    export = b"".join(client.get(reverse("audit_trail:index") + "?export=csv").streaming_content).decode()
    for text in (page, export):
        assert ("NEW-SECRET" in text) is sees_rationale
        assert ("SECRET-RATIONALE" in text) is sees_rationale


@pytest.mark.parametrize(("role", "sees_rationale"), [
    ("mcet_staff", True), ("rwg_member", True), ("auditor", False), ("officer_cbsa", False),
])
def test_country_page_shows_rationale_to_mcet_and_rwg_only(role, sees_rationale, client, settings,
                                                            user_with_role, world):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    country = world["countries.country"][0]
    client.force_login(user_with_role(role))
    response = client.get(reverse("wagtailsnippets_countries_country:inspect", args=[country.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Recalcitrant" in html  # the category itself is for every reader of countries
    assert ("SECRET-RATIONALE" in html) is sees_rationale


def test_audit_entries_of_partner_reporters_are_not_theirs_to_read(client, settings, user_with_role, world):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    client.force_login(user_with_role("partner_reporter"))
    assert client.get(reverse("audit_trail:index")).status_code in (302, 403)


def test_classification_rationale_is_listed_as_sensitive():
    from mcee import access

    assert not access.can_see_field(None, CountryClassification, "rationale")
    assert access.can_see_field(None, CountryClassification, "category")


def test_dates_used():
    # guards the fixture's assumptions used above
    assert dt.date(2020, 4, 1) < dt.date.today()
    assert Decimal("150000.00") > 0
