"""Proposals: documents (type and size checked, kept privately), the admin pages (history, buttons,
endorsement, reviews) and the calls they answer."""

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import CallForProposals, ProposalDocument, ProposalState, ProposalTransition, Review
from projects.proposal_services import proposal_document_add, proposal_transition
from tests.projects.test_proposal_workflow import make_proposal, user_in_role

pytestmark = pytest.mark.django_db
S = ProposalState
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def office_file(member):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<document/>")
    return buffer.getvalue()


@pytest.fixture
def storage_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root: Path):
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.fixture
def mcet():
    return user_in_role("mcet_staff", "pr-mcet")


@pytest.fixture
def mcet_client(client, mcet, settings):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    client.force_login(mcet)
    return client


# --- documents ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content"), [
    ("proposal.pdf", PDF),
    ("proposal.docx", office_file("word/document.xml")),
    ("budget.xlsx", office_file("xl/workbook.xml")),
])
def test_pdf_word_and_excel_files_are_kept_privately(name, content, storage_root, mcet):
    proposal = make_proposal()
    document = proposal_document_add(proposal=proposal, file=SimpleUploadedFile(name, content), user=mcet,
                                     description="Budget")
    assert document.file_name == name and document.size == len(content) and document.uploaded_by == mcet
    [path] = stored_files(storage_root)
    assert path.read_bytes() == content
    assert path.relative_to(storage_root).parts[0] == "proposals"
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018  (a private file has no address)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("script.exe", b"MZ\x90\x00", "is not accepted: attach a PDF, Word (.docx) or Excel (.xlsx) file"),
    ("notes.doc", b"\xd0\xcf\x11\xe0", "is not accepted"),
    ("fake.pdf", b"<html>not a pdf</html>", "is not the PDF document its name says"),
    ("fake.docx", PDF, "is not the Word document its name says"),
    ("swapped.xlsx", office_file("word/document.xml"), "is not the Excel document its name says"),
    ("empty.pdf", b"", "is empty"),
])
def test_a_refused_type_is_not_stored(name, content, message, storage_root, mcet):
    proposal = make_proposal()
    with pytest.raises(ValidationError) as refused:
        proposal_document_add(proposal=proposal, file=SimpleUploadedFile(name, content), user=mcet)
    assert message in " ".join(refused.value.messages) and name in " ".join(refused.value.messages)
    assert not ProposalDocument.objects.exists()
    assert stored_files(storage_root) == []


def test_a_file_over_the_size_limit_is_not_stored(storage_root, mcet, settings):
    settings.MCEE_PROPOSAL_MAX_BYTES = 1024 * 1024
    proposal = make_proposal()
    big = PDF + b"0" * (2 * 1024 * 1024)
    with pytest.raises(ValidationError, match=r"big.pdf” is 2.0 MB; the largest file accepted is 1 MB"):
        proposal_document_add(proposal=proposal, file=SimpleUploadedFile("big.pdf", big), user=mcet)
    assert not ProposalDocument.objects.exists() and stored_files(storage_root) == []


def test_documents_are_attached_and_downloaded_through_the_admin(mcet_client, storage_root, client):
    proposal = make_proposal()
    response = mcet_client.post(reverse("wagtailsnippets_projects_proposal:attach", args=[proposal.pk]),
                                {"file": SimpleUploadedFile("plan.pdf", PDF), "description": "Work plan"})
    assert response.status_code == 302
    document = ProposalDocument.objects.get()
    url = reverse("wagtailsnippets_projects_proposal:document", args=[document.pk])
    download = mcet_client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    mcet_client.post(reverse("wagtailsnippets_projects_proposal:attach", args=[proposal.pk]),
                     {"file": SimpleUploadedFile("virus.exe", b"MZ")})
    assert ProposalDocument.objects.count() == 1
    # A department officer reaches neither the proposal nor its files.
    client.force_login(user_in_role("officer_cbsa", "pr-officer"))
    assert client.get(url).status_code in (302, 403, 404)
    assert client.post(reverse("wagtailsnippets_projects_proposal:attach", args=[proposal.pk]),
                       {"file": SimpleUploadedFile("x.pdf", PDF)}).status_code in (302, 403, 404)
    assert ProposalDocument.objects.count() == 1


# --- the proposal's page ------------------------------------------------------------------------------


def test_the_page_shows_the_history_and_the_buttons_the_user_may_take(mcet_client, mcet):
    proposal = make_proposal(state=S.SCREENING)
    proposal = proposal_transition(proposal=proposal, to_state=S.RETURNED, user=mcet,
                                   comment="WORLD-COMMENT: the budget table is missing.")
    page = mcet_client.get(reverse("wagtailsnippets_projects_proposal:inspect", args=[proposal.pk])).content.decode()
    assert "WORLD-COMMENT: the budget table is missing." in page
    assert '<th scope="col">From</th>' in page
    assert "returned from “Screening”" in page
    assert 'name="to_state" value="screening"' in page
    assert 'value="in_review"' not in page  # only back where it came from
    assert "Changes received: resume" in page
    assert "PROTECTED B" in page  # the security marking of every admin screen


def test_a_button_moves_the_proposal_and_a_refusal_is_said_on_the_page(mcet_client, mcet):
    proposal = make_proposal(state=S.RECOMMENDED)
    url = reverse("wagtailsnippets_projects_proposal:transition", args=[proposal.pk])
    assert mcet_client.get(url).status_code == 405
    response = mcet_client.post(url, {"to_state": S.APPROVED, "comment": "Please"}, follow=True)
    assert "Your role may not move a proposal from “Recommended” to “Approved”." in response.content.decode()
    response = mcet_client.post(url, {"to_state": S.RETURNED, "comment": "Clarify the budget."}, follow=True)
    assert "The proposal is now “Returned to the applicant for changes”." in response.content.decode()
    change = ProposalTransition.objects.get(proposal=proposal)
    assert (change.user, change.comment) == (mcet, "Clarify the budget.")


def test_approval_from_the_page_names_the_project(client, settings):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    client.force_login(user_in_role("mcet_admin", "pr-admin"))
    proposal = make_proposal(state=S.RECOMMENDED)
    response = client.post(reverse("wagtailsnippets_projects_proposal:transition", args=[proposal.pk]),
                           {"to_state": S.APPROVED}, follow=True)
    proposal.refresh_from_db()
    assert f"project {proposal.project.reference} is created" in response.content.decode()


def test_the_rwg_records_its_endorsement_from_the_page(client, settings):
    from projects.models import ProposalEndorsement
    from tests.projects.test_proposal_workflow import classify

    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    classify("XA", "recalcitrant", dt.date(2020, 4, 1))
    proposal = make_proposal(state=S.RECOMMENDED)
    client.force_login(user_in_role("rwg_member", "pr-rwg"))
    page = client.get(reverse("wagtailsnippets_projects_proposal:inspect", args=[proposal.pk])).content.decode()
    assert "Removals Working Group must endorse it" in page
    assert "There is nothing your role can do to this proposal" in page
    url = reverse("wagtailsnippets_projects_proposal:endorse", args=[proposal.pk])
    response = client.post(url, {"meeting_date": "", "meeting_reference": "RWG-1"}, follow=True)
    assert "Give the date of the RWG meeting" in response.content.decode()
    client.post(url, {"meeting_date": "2026-01-15", "meeting_reference": "RWG-26-01", "comment": "Agreed."})
    endorsement = ProposalEndorsement.objects.get(proposal=proposal)
    assert (endorsement.meeting_reference, endorsement.recorded_by.username) == ("RWG-26-01", "pr-rwg")


# --- reviews ------------------------------------------------------------------------------------------


def test_a_review_is_written_by_the_signed_in_reviewer(mcet_client, mcet):
    proposal = make_proposal(state=S.IN_REVIEW)
    add = reverse("wagtailsnippets_projects_review:add")
    assert mcet_client.get(f"{add}?proposal={proposal.pk}").status_code == 200
    data = {"proposal": proposal.pk, "alignment": 4, "country_need": 5, "leverage": 3, "partner_capacity": 4,
            "value_for_money": 2, "comments": "Strong need.", "recommendation": "recommend"}
    response = mcet_client.post(add, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    review = Review.objects.get()
    assert (review.reviewer, review.total) == (mcet, 18)
    page = mcet_client.get(reverse("wagtailsnippets_projects_proposal:inspect", args=[proposal.pk])).content.decode()
    assert "Strong need." in page


def test_scores_run_from_1_to_5_and_only_proposals_in_review_are_reviewed(mcet_client):
    draft = make_proposal(state=S.DRAFT)
    in_review = make_proposal(state=S.IN_REVIEW)
    add = reverse("wagtailsnippets_projects_review:add")
    data = {"alignment": 6, "country_need": 0, "leverage": 3, "partner_capacity": 4, "value_for_money": 2,
            "recommendation": "recommend"}
    assert mcet_client.post(add, {**data, "proposal": in_review.pk}).status_code == 200
    assert mcet_client.post(add, {**data, "alignment": 4, "country_need": 3, "proposal": draft.pk}).status_code == 200
    assert not Review.objects.exists()


# --- calls --------------------------------------------------------------------------------------------


def test_a_call_closes_after_it_opens():
    call = CallForProposals(title_en="Call", opens_on=dt.date(2025, 6, 1), closes_on=dt.date(2025, 5, 1))
    with pytest.raises(ValidationError, match="closes before it opens"):
        call.full_clean()


def test_the_add_pages_open(mcet_client):
    for name in ("callforproposals", "proposal", "review"):
        assert mcet_client.get(reverse(f"wagtailsnippets_projects_{name}:add")).status_code == 200


def test_the_listing_names_unsolicited_proposals(mcet_client):
    call = CallForProposals.objects.create(title_en="Targeted call 2025", opens_on=dt.date(2025, 4, 1),
                                           closes_on=dt.date(2025, 6, 30))
    make_proposal(call=call)
    make_proposal()
    page = mcet_client.get(reverse("wagtailsnippets_projects_proposal:list")).content.decode()
    assert "Targeted call 2025" in page and "Unsolicited" in page


def test_listing_queries_do_not_grow_with_rows(mcet_client, mcet):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts():
        result = {}
        for name in ("proposal", "review", "callforproposals"):
            with CaptureQueriesContext(connection) as queries:
                assert mcet_client.get(reverse(f"wagtailsnippets_projects_{name}:list")).status_code == 200
            result[name] = len(queries)
        return result

    def add(n):
        for i in range(n):
            call = CallForProposals.objects.create(title_en=f"Call {i}", opens_on=dt.date(2025, 4, 1),
                                                   closes_on=dt.date(2025, 6, 30))
            proposal = make_proposal(state=S.IN_REVIEW, call=call)
            Review.objects.create(proposal=proposal, reviewer=mcet, alignment=3, country_need=3, leverage=3,
                                  partner_capacity=3, value_for_money=3, recommendation="recommend")

    add(2)
    small = counts()
    add(6)
    assert counts() == small
