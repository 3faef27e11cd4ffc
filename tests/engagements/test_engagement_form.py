"""The engagement form in the admin: what it offers, the leverage question, the links it refuses,
dates, the follow-up inline, who may change what, and French."""

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.users.models import UserProfile

from engagements.models import Department, Engagement, FollowUp
from projects.models import KeyMessage, ProjectStatus
from tests.factories import ProjectCountryFactory, ProjectFactory

pytestmark = pytest.mark.django_db

URL = "wagtailsnippets_engagements_engagement"
LEVERAGE_WARNING = "MCEE projects exist in Xandria (XA): MCEE-IN-001 Inside project."


@pytest.fixture
def officer(user_with_role, settings):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    return user_with_role("officer_cbsa")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def department(code):
    return Department.objects.get(code=code)


def form_data(world, *, country=0, follow_ups=(), **extra):
    """A held CBSA engagement in XA (or XB, ``country=1``), with these fields changed."""
    data = {
        "country": world["countries.country"][country].pk, "date": "2025-05-10", "status": "held",
        "kind": "ottawa_bilateral", "level": "dg", "lead_department": department("cbsa").pk,
        "counterpart_institution": "FORM-MINISTRY", "counterpart_title": "Director of consular affairs",
        "summary": "", "outcome": "", "next_steps": "", "lead_officer": "",
        "follow_ups-TOTAL_FORMS": str(len(follow_ups)), "follow_ups-INITIAL_FORMS": "0",
        "follow_ups-MIN_NUM_FORMS": "0", "follow_ups-MAX_NUM_FORMS": "1000",
    }
    for index, follow_up in enumerate(follow_ups):
        data.update({f"follow_ups-{index}-{name}": value for name, value in follow_up.items()})
        data.setdefault(f"follow_ups-{index}-id", "")
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def add(client, data):
    response = client.post(reverse(f"{URL}:add"), data)
    return response, html.unescape(response.content.decode()) if response.status_code == 200 else ""


def created():
    return Engagement.objects.filter(counterpart_institution="FORM-MINISTRY")


# --- What the form offers ---------------------------------------------------------------------------------------


def test_the_form_puts_the_essentials_first_and_offers_only_what_the_officer_may_see(officer_client, world):
    page = html.unescape(officer_client.get(reverse(f"{URL}:add")).content.decode())
    order = [page.index(f'name="{name}"') for name in (
        "country", "date", "status", "kind", "level", "lead_department", "participating_departments",
        "counterpart_institution", "removals_raised", "projects_leveraged", "no_project_leveraged",
        "key_messages_used", "summary", "outcome", "next_steps", "follow_ups-TOTAL_FORMS")]
    assert order == sorted(order)
    assert "MCEE-IN-001 Inside project (XA)" in page  # with the countries it works in
    assert "MCEE-OUT-002" not in page  # a pipeline project: officers do not see it
    assert "WORLD-MESSAGE-APPROVED" in page
    assert "WORLD-MESSAGE-DRAFT" not in page  # only approved messages are offered


# --- The leverage question --------------------------------------------------------------------------------------


def test_a_held_engagement_in_a_country_with_projects_must_answer_the_leverage_question(officer_client, world):
    response, page = add(officer_client, form_data(world))
    assert response.status_code == 200
    assert LEVERAGE_WARNING in page
    assert "Mark the ones used in this engagement, or tick “no MCEE project was used”." in page
    assert not created().exists()

    response, _ = add(officer_client, form_data(world, no_project_leveraged="on"))
    assert response.status_code == 302
    assert created().get().no_project_leveraged is True


def test_marking_the_project_used_answers_the_question(officer_client, world):
    inside, _ = world["projects.project"]
    message, _ = world["projects.keymessage"]
    response, _ = add(officer_client, form_data(world, projects_leveraged=[inside.pk],
                                                key_messages_used=[message.pk], removals_raised="on"))
    assert response.status_code == 302
    engagement = created().get()
    assert list(engagement.projects_leveraged.all()) == [inside]
    assert list(engagement.key_messages_used.all()) == [message]
    assert engagement.removals_raised is True and engagement.no_project_leveraged is False


def test_the_question_names_only_projects_the_officer_sees_and_that_can_be_leveraged(officer_client, world):
    xb = world["countries.country"][1]
    # XB's only project is in the pipeline (and invisible to officers): nothing to ask about.
    response, _ = add(officer_client, form_data(world, country=1))
    assert response.status_code == 302
    # A cancelled project in XB is not one to leverage either.
    ProjectCountryFactory(project=ProjectFactory(reference="MCEE-T-CANCELLED", status=ProjectStatus.CANCELLED),
                          country=xb)
    response, _ = add(officer_client, form_data(world, country=1, date="2025-05-11"))
    assert response.status_code == 302
    # A closed one is.
    ProjectCountryFactory(project=ProjectFactory(reference="MCEE-T-CLOSED", status=ProjectStatus.CLOSED,
                                                 title_en="Closed one"), country=xb)
    response, page = add(officer_client, form_data(world, country=1, date="2025-05-12"))
    assert "MCEE projects exist in Balmora (XB): MCEE-T-CLOSED Closed one." in page
    assert "MCEE-T-CANCELLED" not in page.split("MCEE projects exist")[1][:200]


def test_planned_and_cancelled_engagements_are_not_asked_yet(officer_client, world):
    later = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    response, _ = add(officer_client, form_data(world, status="planned", date=later))
    assert response.status_code == 302
    response, _ = add(officer_client, form_data(world, status="cancelled", date="2025-05-11"))
    assert response.status_code == 302
    assert created().count() == 2


def test_no_project_used_and_projects_chosen_contradict_each_other(officer_client, world):
    inside, _ = world["projects.project"]
    response, page = add(officer_client, form_data(world, projects_leveraged=[inside.pk], no_project_leveraged="on"))
    assert response.status_code == 200
    assert "You ticked “no MCEE project was used” and also chose projects." in page
    assert not created().exists()


def test_a_leveraged_project_must_work_in_the_engagements_country(officer_client, world):
    inside, _ = world["projects.project"]
    response, page = add(officer_client, form_data(world, country=1, projects_leveraged=[inside.pk]))
    assert response.status_code == 200
    assert ("MCEE-IN-001 does not work in Balmora (XB); choose only projects in the engagement's country."
            in page)
    assert not created().exists()


def test_a_key_message_must_be_about_the_engagements_country(officer_client, world):
    message, _ = world["projects.keymessage"]  # about XA
    response, page = add(officer_client, form_data(world, country=1, key_messages_used=[message.pk]))
    assert response.status_code == 200
    assert "1 key message chosen is about another country than Balmora (XB)" in page
    assert not created().exists()


def test_a_draft_key_message_cannot_be_chosen(officer_client, world):
    inside, _ = world["projects.project"]
    draft = KeyMessage.objects.create(project=inside, country=world["countries.country"][0], text_en="DRAFT-XA",
                                      text_fr="Brouillon XA")
    response, page = add(officer_client, form_data(world, no_project_leveraged="on", key_messages_used=[draft.pk]))
    assert response.status_code == 200
    assert "Select a valid choice." in page
    assert not created().exists()


# --- Dates ------------------------------------------------------------------------------------------------------


def test_an_engagement_cannot_have_been_held_in_the_future(officer_client, world):
    today = timezone.localdate()
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    response, page = add(officer_client, form_data(world, date=tomorrow, no_project_leveraged="on"))
    assert response.status_code == 200
    assert "An engagement cannot have been held on a date still to come." in page
    assert not created().exists()
    response, _ = add(officer_client, form_data(world, date=today.isoformat(), no_project_leveraged="on"))
    assert response.status_code == 302  # held today is fine
    response, _ = add(officer_client, form_data(world, date=tomorrow, status="planned"))
    assert response.status_code == 302


def test_a_planned_engagement_whose_date_has_passed_can_still_be_saved(officer_client, world):
    """Its status is brought up to date later (held or cancelled): refusing it would block the edit."""
    response, _ = add(officer_client, form_data(world, status="planned", date="2025-01-15"))
    assert response.status_code == 302


# --- Follow-ups in the engagement form --------------------------------------------------------------------------


def follow_up(**extra):
    values = {"action": "Send the case list", "owner_department": department("cbsa").pk, "owner": "",
              "due_date": "2025-06-01", "status": "open", "completed_on": ""}
    values.update(extra)
    return values


def test_follow_ups_are_added_with_the_engagement(officer_client, world):
    response, _ = add(officer_client, form_data(world, no_project_leveraged="on", follow_ups=[
        follow_up(), follow_up(action="Confirm dates", status="done", completed_on="2025-05-20",
                  owner_department=department("gac").pk)]))
    assert response.status_code == 302
    actions = created().get().follow_ups.order_by("action")
    assert [(f.action, f.owner_department.code, f.status, f.completed_on) for f in actions] == [
        ("Confirm dates", "gac", "done", dt.date(2025, 5, 20)), ("Send the case list", "cbsa", "open", None)]


@pytest.mark.parametrize(("values", "message"), [
    ({"status": "done", "completed_on": ""}, "A done action needs the date it was completed."),
    ({"status": "open", "completed_on": "2025-05-20"},
     "Only a done action has a completion date: set the status to “Done”, or clear the date."),
    ({"status": "cancelled", "completed_on": "2025-05-20"}, "Only a done action has a completion date"),
    ({"status": "done", "completed_on": "2999-01-01"}, "The completion date cannot be in the future."),
])
def test_a_follow_ups_completion_must_match_its_status(values, message, officer_client, world):
    response, page = add(officer_client, form_data(world, no_project_leveraged="on",
                                                   follow_ups=[follow_up(**values)]))
    assert response.status_code == 200  # a message on the field, not an IntegrityError
    assert message in page
    assert not created().exists()
    assert not FollowUp.objects.filter(action="Send the case list").exists()


def test_a_post_without_the_follow_ups_leaves_them_alone(officer_client, world):
    inside_engagement, _ = world["engagements.engagement"]
    data = form_data(world, status="planned", date="2025-05-01", no_project_leveraged="on")
    for key in [k for k in data if k.startswith("follow_ups-")]:
        del data[key]
    data["counterpart_institution"] = "INSIDE-MINISTRY"
    response = officer_client.post(reverse(f"{URL}:edit", args=[inside_engagement.pk]), data)
    assert response.status_code == 302
    assert inside_engagement.follow_ups.get().action == "WORLD-FOLLOW-UP-IN"


# --- Who may change what ----------------------------------------------------------------------------------------


def test_an_officer_edits_only_its_departments_engagements(officer_client, world):
    inside, outside = world["engagements.engagement"]  # led by CBSA, by GAC
    assert officer_client.get(reverse(f"{URL}:edit", args=[inside.pk])).status_code == 200
    assert officer_client.get(reverse(f"{URL}:edit", args=[outside.pk])).status_code == 404
    before = Engagement.objects.values().get(pk=outside.pk)
    data = form_data(world, country=1, status="planned", date="2025-06-01", summary="OVERWRITTEN")
    data["lead_department"] = department("gac").pk
    response = officer_client.post(reverse(f"{URL}:edit", args=[outside.pk]), data)
    assert response.status_code == 404
    assert Engagement.objects.values().get(pk=outside.pk) == before
    assert set(outside.participating_departments.all()) == set()


def test_an_officer_may_edit_an_engagement_its_department_takes_part_in(officer_client, world):
    _, outside = world["engagements.engagement"]
    outside.participating_departments.add(department("cbsa"))
    outside.save()
    data = form_data(world, country=1, status="planned", date="2025-06-01", summary="CBSA took part",
                     counterpart_institution="OUTSIDE-MINISTRY", participating_departments=[department("cbsa").pk])
    data["lead_department"] = department("gac").pk
    response = officer_client.post(reverse(f"{URL}:edit", args=[outside.pk]), data)
    assert response.status_code == 302
    outside.refresh_from_db()
    assert outside.summary == "CBSA took part"


def test_an_officer_cannot_move_an_engagement_out_of_its_department(officer_client, world):
    inside, _ = world["engagements.engagement"]
    data = form_data(world, status="planned", date="2025-05-01", counterpart_institution="INSIDE-MINISTRY")
    data["lead_department"] = department("gac").pk
    response = officer_client.post(reverse(f"{URL}:edit", args=[inside.pk]), data)
    assert response.status_code == 200
    assert "You can record engagements that your department leads or takes part in." in html.unescape(
        response.content.decode())
    inside.refresh_from_db()
    assert inside.lead_department.code == "cbsa"


def test_links_the_officer_cannot_see_are_kept_when_it_saves(officer_client, world):
    """A retired key message (hidden from officers) chosen earlier stays linked after an officer's edit."""
    inside_engagement, _ = world["engagements.engagement"]
    inside_project, _ = world["projects.project"]
    retired = KeyMessage.objects.create(project=inside_project, country=world["countries.country"][0],
                                        text_en="RETIRED-XA", text_fr="Retiré", status="retired")
    inside_engagement.key_messages_used.add(retired)
    inside_engagement.save()
    data = form_data(world, status="planned", date="2025-05-01", counterpart_institution="INSIDE-MINISTRY",
                     summary="Edited by the officer")
    response = officer_client.post(reverse(f"{URL}:edit", args=[inside_engagement.pk]), data)
    assert response.status_code == 302
    inside_engagement.refresh_from_db()
    assert inside_engagement.summary == "Edited by the officer"
    assert list(inside_engagement.key_messages_used.all()) == [retired]


def test_mcet_staff_may_record_any_departments_engagement(client, settings, user_with_role, world):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    client.force_login(user_with_role("mcet_staff"))
    data = form_data(world, no_project_leveraged="on")
    data["lead_department"] = department("gac").pk
    response, _ = add(client, data)
    assert response.status_code == 302


# --- French -----------------------------------------------------------------------------------------------------


def test_the_form_in_french(officer_client, officer, world):
    profile = UserProfile.get_for_user(officer)
    profile.preferred_language = "fr"
    profile.save()
    page = html.unescape(officer_client.get(reverse(f"{URL}:add")).content.decode())
    assert "Projets de l’ECEM mis à profit" in page
    assert "Institution homologue" in page
    assert "PROTÉGÉ B" in page
    assert "MCEE projects leveraged" not in page
    response, page = add(officer_client, form_data(world))
    assert response.status_code == 200
    assert "Projets de l’ECEM mis à profit" in page
    assert not created().exists()
