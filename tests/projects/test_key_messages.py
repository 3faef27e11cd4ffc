"""Key messages for diplomatic use: draft → approved → retired, only by MCET, and only approved ones
ever reach the RWG and department officers (listing, page, export)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from projects.models import KeyMessage, KeyMessageStatus
from projects.services import key_message_approve, key_message_retire
from tests.access.conftest import user_with_role, world  # noqa: F401
from tests.spreadsheets import export_text

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/snippets/projects/keymessage/"


def url(name, message):
    return reverse(f"wagtailsnippets_projects_keymessage:{name}", args=[message.pk])


@pytest.fixture
def messages(world):  # noqa: F811
    """The world's approved XA message and draft XB message, and a second XA draft."""
    approved, draft = world["projects.keymessage"]
    inside_project = world["projects.project"][0]
    second = KeyMessage.objects.create(project=inside_project, country=approved.country,
                                       text_en="Border posts now scan passports.",
                                       text_fr="Les postes frontaliers lisent désormais les passeports.")
    return {"approved": approved, "draft": draft, "second": second}


@pytest.fixture
def mcet(user_with_role):  # noqa: F811
    return user_with_role("mcet_staff")


@pytest.fixture
def mcet_client(client, mcet, settings):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    client.force_login(mcet)
    return client


# --- the services -----------------------------------------------------------------------------------


def test_a_draft_is_approved_then_retired_and_who_and_when_are_recorded(messages, mcet):
    message = messages["second"]
    assert message.status == KeyMessageStatus.DRAFT
    approved = key_message_approve(message=message, user=mcet)
    approved.refresh_from_db()
    assert approved.status == KeyMessageStatus.APPROVED
    assert approved.approved_by == mcet
    assert approved.approved_at is not None
    retired = key_message_retire(message=approved, user=mcet)
    retired.refresh_from_db()
    assert retired.status == KeyMessageStatus.RETIRED
    assert retired.approved_by == mcet and retired.approved_at == approved.approved_at  # kept on record


@pytest.mark.parametrize(("status", "service", "refusal"), [
    (KeyMessageStatus.APPROVED, key_message_approve, "already approved"),
    (KeyMessageStatus.RETIRED, key_message_approve, "retired key message cannot be approved"),
    (KeyMessageStatus.DRAFT, key_message_retire, "Only an approved key message can be retired"),
    (KeyMessageStatus.RETIRED, key_message_retire, "already retired"),
])
def test_refused_transitions_say_why_and_change_nothing(messages, mcet, status, service, refusal):
    message = messages["second"]
    KeyMessage.objects.filter(pk=message.pk).update(
        status=status, approved_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC) if status != "draft" else None)
    message.refresh_from_db()
    with pytest.raises(ValidationError, match=refusal):
        service(message=message, user=mcet)
    message.refresh_from_db()
    assert message.status == status


def test_approval_needs_both_languages(messages, mcet):
    message = messages["second"]
    KeyMessage.objects.filter(pk=message.pk).update(text_fr="")
    message.refresh_from_db()
    with pytest.raises(ValidationError, match="both languages"):
        key_message_approve(message=message, user=mcet)
    message.refresh_from_db()
    assert message.status == KeyMessageStatus.DRAFT


@pytest.mark.parametrize("role", ["rwg_member", "officer_cbsa", "auditor"])
def test_only_mcet_approves_or_retires(messages, user_with_role, role):  # noqa: F811
    user = user_with_role(role)
    with pytest.raises(PermissionDenied):
        key_message_approve(message=messages["second"], user=user)
    with pytest.raises(PermissionDenied):
        key_message_retire(message=messages["approved"], user=user)
    assert KeyMessage.objects.get(pk=messages["approved"].pk).status == KeyMessageStatus.APPROVED


# --- the admin: actions -----------------------------------------------------------------------------


def test_the_inspect_page_offers_approval_of_a_draft_then_retirement(mcet_client, messages):
    message = messages["second"]
    page = mcet_client.get(url("inspect", message)).content.decode()
    assert "Approve for diplomatic use" in page
    assert url("approve", message) in page
    assert url("retire", message) not in page
    response = mcet_client.post(url("approve", message))
    assert response.status_code == 302 and response["Location"] == url("inspect", message)
    message.refresh_from_db()
    assert message.status == KeyMessageStatus.APPROVED
    page = mcet_client.get(url("inspect", message)).content.decode()
    assert "The key message is approved for diplomatic use." in page
    assert url("retire", message) in page and url("approve", message) not in page
    mcet_client.post(url("retire", message))
    message.refresh_from_db()
    assert message.status == KeyMessageStatus.RETIRED
    page = mcet_client.get(url("inspect", message)).content.decode()
    assert url("retire", message) not in page and url("approve", message) not in page


def test_a_refused_transition_is_said_on_the_page(mcet_client, messages):
    message = messages["approved"]
    response = mcet_client.post(url("approve", message), follow=True)
    assert "This key message is already approved." in response.content.decode()


def test_the_actions_are_posts_only(mcet_client, messages):
    assert mcet_client.get(url("approve", messages["second"])).status_code == 405
    assert mcet_client.get(url("retire", messages["approved"])).status_code == 405


@pytest.mark.parametrize("role", ["rwg_member", "officer_cbsa"])
def test_readers_cannot_approve_or_retire_and_drafts_look_absent(client, messages, user_with_role, role,  # noqa: F811
                                                                 settings):
    client.force_login(user_with_role(role))
    assert client.post(url("approve", messages["second"])).status_code == 404  # a draft: not theirs to see
    refused = client.post(url("retire", messages["approved"]))  # seen, not theirs to change: Wagtail's refusal
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    page = client.get(url("inspect", messages["approved"])).content.decode()
    assert "Approve for diplomatic use" not in page and url("retire", messages["approved"]) not in page
    assert KeyMessage.objects.get(pk=messages["approved"].pk).status == KeyMessageStatus.APPROVED


# --- the admin: only drafts are edited --------------------------------------------------------------


def form_data(message, **changes):
    data = {"project": message.project_id, "country": message.country_id, "text_en": message.text_en,
            "text_fr": message.text_fr, "evidence": message.evidence}
    data.update(changes)
    return data


def test_a_draft_is_edited(mcet_client, messages):
    message = messages["second"]
    response = mcet_client.post(url("edit", message), form_data(message, text_en="Border posts scan passports."))
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.text_en == "Border posts scan passports."


def test_an_approved_message_is_not_edited_retire_and_write_a_new_one(mcet_client, messages):
    message = messages["approved"]
    page = mcet_client.get(url("edit", message)).content.decode()
    assert "retire it and write a new one" in page
    response = mcet_client.post(url("edit", message), form_data(message, text_en="Changed after approval"))
    assert response.status_code == 200
    assert "Only a draft key message can be changed" in response.content.decode()
    message.refresh_from_db()
    assert message.text_en == "WORLD-MESSAGE-APPROVED"


def test_a_new_message_is_a_draft_about_one_of_the_projects_countries(mcet_client, messages, world):  # noqa: F811
    inside_project, _outside = world["projects.project"]
    xa, xb = world["countries.country"]
    data = {"project": inside_project.pk, "country": xb.pk, "text_en": "New", "text_fr": "Nouveau", "evidence": ""}
    response = mcet_client.post(reverse("wagtailsnippets_projects_keymessage:add"), data)
    assert response.status_code == 200
    assert "The project does not work in this country" in response.content.decode()
    response = mcet_client.post(reverse("wagtailsnippets_projects_keymessage:add"), {**data, "country": xa.pk})
    assert response.status_code == 302
    created = KeyMessage.objects.get(text_en="New")
    assert created.status == KeyMessageStatus.DRAFT and created.approved_at is None


def test_both_languages_are_required(mcet_client, world):  # noqa: F811
    inside_project = world["projects.project"][0]
    xa = world["countries.country"][0]
    data = {"project": inside_project.pk, "country": xa.pk, "text_en": "English only", "text_fr": "", "evidence": ""}
    response = mcet_client.post(reverse("wagtailsnippets_projects_keymessage:add"), data)
    assert response.status_code == 200
    assert not KeyMessage.objects.filter(text_en="English only").exists()


# --- the admin: who sees what -----------------------------------------------------------------------


def test_mcet_lists_every_message_in_the_readers_language(mcet_client, messages, mcet):
    html = mcet_client.get(LIST_URL).content.decode()
    assert "WORLD-MESSAGE-APPROVED" in html and "WORLD-MESSAGE-DRAFT" in html
    assert "Border posts now scan passports." in html
    html = mcet_client.get(LIST_URL + "?status=draft").content.decode()
    assert "WORLD-MESSAGE-APPROVED" not in html and "WORLD-MESSAGE-DRAFT" in html
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(mcet)
    profile.preferred_language = "fr"
    profile.save()
    with translation.override("fr"):
        html = mcet_client.get(LIST_URL).content.decode()
    assert "Les postes frontaliers lisent désormais les passeports." in html
    assert "Border posts now scan passports." not in html


@pytest.mark.parametrize("role", ["rwg_member", "officer_cbsa", "officer_gac"])
def test_a_reader_never_sees_a_draft(client, messages, user_with_role, role):  # noqa: F811
    client.force_login(user_with_role(role))
    html = client.get(LIST_URL).content.decode()
    assert "WORLD-MESSAGE-APPROVED" in html
    assert "WORLD-MESSAGE-DRAFT" not in html and "Border posts now scan passports." not in html
    export = export_text(client.get(LIST_URL + "?export=csv"))
    assert "WORLD-MESSAGE-APPROVED" in export
    assert "WORLD-MESSAGE-DRAFT" not in export and "Border posts now scan passports." not in export
    for draft in (messages["draft"], messages["second"]):
        assert client.get(url("inspect", draft)).status_code == 404
    assert client.get(url("inspect", messages["approved"])).status_code == 200
    # A retired message leaves them too.
    KeyMessage.objects.filter(pk=messages["approved"].pk).update(status=KeyMessageStatus.RETIRED)
    assert client.get(url("inspect", messages["approved"])).status_code == 404
    assert "WORLD-MESSAGE-APPROVED" not in client.get(LIST_URL).content.decode()


def test_the_export_holds_both_languages(mcet_client, messages):
    export = export_text(mcet_client.get(LIST_URL + "?export=csv"))
    header = export.splitlines()[0]
    assert header.startswith("Country,Project,")
    assert "Les postes frontaliers lisent désormais les passeports." in export
