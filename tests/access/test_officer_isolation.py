"""A department officer cannot reach another department's engagement by URL, id, edit or export."""

import datetime as dt

import pytest
from django.urls import reverse

from engagements.models import Department, Engagement

pytestmark = pytest.mark.django_db

URL = "wagtailsnippets_engagements_engagement"


@pytest.fixture
def officer(user_with_role, settings):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    return user_with_role("officer_cbsa")


def test_guessing_another_departments_engagement_answers_404_everywhere(client, officer, world):
    _, gac_engagement = world["engagements.engagement"]
    client.force_login(officer)
    for view in ("inspect", "edit", "delete", "history", "usage"):
        response = client.get(reverse(f"{URL}:{view}", args=[gac_engagement.pk]))
        assert response.status_code == 404, view
        assert b"OUTSIDE-MINISTRY" not in response.content
    # An id that does not exist looks the same as one that is not theirs.
    assert client.get(reverse(f"{URL}:edit", args=[999999])).status_code == 404


def test_posting_an_edit_to_another_departments_engagement_changes_nothing(client, officer, world):
    _, gac_engagement = world["engagements.engagement"]
    before = Engagement.objects.values().get(pk=gac_engagement.pk)
    client.force_login(officer)
    response = client.post(reverse(f"{URL}:edit", args=[gac_engagement.pk]), {"summary": "overwritten"})
    assert response.status_code == 404
    response = client.post(reverse(f"{URL}:delete", args=[gac_engagement.pk]))
    assert response.status_code == 404
    assert Engagement.objects.values().get(pk=gac_engagement.pk) == before


def test_an_officer_may_edit_an_engagement_their_department_takes_part_in(client, officer, world):
    _, gac_engagement = world["engagements.engagement"]
    gac_engagement.participating_departments.add(Department.objects.get(code="cbsa"))
    gac_engagement.save()
    client.force_login(officer)
    assert client.get(reverse(f"{URL}:edit", args=[gac_engagement.pk])).status_code == 200


def test_export_holds_only_the_officers_department(client, officer, world):
    client.force_login(officer)
    response = client.get(reverse(f"{URL}:list") + "?export=csv")
    body = b"".join(response.streaming_content).decode()
    assert "INSIDE-MINISTRY" in body
    assert "OUTSIDE-MINISTRY" not in body
    # Filtering by the other department's id does not widen the export.
    gac = Department.objects.get(code="gac")
    response = client.get(reverse(f"{URL}:list") + f"?lead_department={gac.pk}&export=csv")
    assert "OUTSIDE-MINISTRY" not in b"".join(response.streaming_content).decode()


def test_an_officer_cannot_file_an_engagement_for_another_department(client, officer, world):
    client.force_login(officer)
    xa = world["countries.country"][0]
    gac = Department.objects.get(code="gac")
    count = Engagement.objects.count()
    response = client.post(reverse(f"{URL}:add"), {
        "country": xa.pk, "date": "2026-01-15", "status": "planned", "kind": "multilateral", "level": "dg",
        "lead_department": gac.pk, "summary": "Not ours"})
    assert response.status_code == 200
    assert "You can record engagements that your department leads or takes part in" in response.content.decode()
    assert Engagement.objects.count() == count

    cbsa = Department.objects.get(code="cbsa")
    response = client.post(reverse(f"{URL}:add"), {
        "country": xa.pk, "date": "2026-01-15", "status": "planned", "kind": "multilateral", "level": "dg",
        "lead_department": cbsa.pk, "summary": "Ours"})
    assert response.status_code == 302
    created = Engagement.objects.get(summary="Ours")
    assert created.created_by == officer
    assert created.date == dt.date(2026, 1, 15)


@pytest.mark.parametrize(("role", "url", "hidden"), [
    ("partner_reporter", "/admin/snippets/choose/projects/project/", "MCEE-OUT-002"),
    ("partner_reporter", "/admin/snippets/choose/projects/project/results/", "MCEE-OUT-002"),
    ("officer_cbsa", "/admin/snippets/choose/projects/project/results/?q=MCEE", "MCEE-OUT-002"),
])
def test_pop_up_choosers_list_only_what_the_role_may_see(role, url, hidden, client, settings, user_with_role, world):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    client.force_login(user_with_role(role))
    body = client.get(url).content.decode()
    assert "MCEE-IN-001" in body
    assert hidden not in body


def test_choosing_an_object_outside_reach_by_id_fails(client, settings, user_with_role, world):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    client.force_login(user_with_role("partner_reporter"))
    inside, outside = world["projects.project"]
    assert client.get(f"/admin/snippets/choose/projects/project/chosen/{inside.pk}/").status_code == 200
    response = client.get(f"/admin/snippets/choose/projects/project/chosen/{outside.pk}/")
    assert response.status_code == 404
    assert b"MCEE-OUT-002" not in response.content


def test_bulk_delete_never_names_a_record_outside_reach(client, settings, user_with_role, world):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    client.force_login(user_with_role("partner_reporter"))
    inside, outside = world["projects.project"]
    response = client.get(f"/admin/bulk/projects/project/delete/?next=/admin/&id={outside.pk}")
    assert response.status_code == 404
    response = client.get(f"/admin/bulk/projects/project/delete/?next=/admin/&id={outside.pk}&id={inside.pk}")
    assert b"MCEE-OUT-002" not in response.content
    response = client.post(f"/admin/bulk/projects/project/delete/?next=/admin/&id={inside.pk}")
    assert type(inside).objects.filter(pk=inside.pk).exists()  # a reporter may not delete


# Auditors see RWG decisions but not the escalation ones, and RWG members see approved key messages
# but not drafts, so the site-wide history (filtered by kind only) would show them too much.
@pytest.mark.parametrize(("role", "allowed"), [("partner_reporter", False), ("officer_cbsa", False),
                                               ("mcet_staff", True), ("rwg_member", False), ("auditor", False)])
def test_site_history_is_only_for_roles_that_see_every_record(role, allowed, client, settings, user_with_role,
                                                               world):
    from wagtail.log_actions import log

    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    log(world["projects.project"][1], "wagtail.edit")
    client.force_login(user_with_role(role))
    response = client.get("/admin/reports/site-history/")
    if allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and response["Location"] == "/admin/"
        assert "Site history" not in client.get("/admin/").content.decode()
