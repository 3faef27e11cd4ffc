"""Country briefs: the data object against hand-computed figures, the reader page and the PDF showing the
same numbers, access (no escalation or plan without the right), the command and the meeting ZIP."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from cms.brief_data import country_brief
from cms.brief_layout import brief_sections
from cms.brief_pdf import brief_pdf
from cms.models import CountryBriefPage
from countries.models import Country, CountryClassification
from engagements.models import Engagement, RWGMeeting

from .conftest import ON

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return reader, [page.extract_text() for page in reader.pages]


def squeeze(text: str) -> str:
    """Text without its spacing, so a number broken by the PDF's layout or a no-break space still matches."""
    return "".join(text.split()).replace("\u202f", "").replace("\u00a0", "")


# --- the data -----------------------------------------------------------------------------------------


def test_the_brief_holds_the_hand_computed_figures(briefing, reader):
    brief = country_brief(country=briefing["country"], user=reader("rwg_member"), on=ON, language="en")
    assert brief.category == "recalcitrant"
    assert [c.category for c in brief.category_history] == ["preventive", "recalcitrant"]
    assert [q.label for q in brief.td_quarters][:2] == ["2024-25 Q3", "2024-25 Q4"]
    assert brief.td_quarters[-1].label == "2026-27 Q2" and len(brief.td_quarters) == 8
    q1 = next(q for q in brief.td_quarters if q.label == "2025-26 Q1")
    assert (q1.requested, q1.issued, q1.median_days) == (3, 2, Decimal("40.0"))  # 30 and 50 days
    assert q1.within_target_share == Decimal("1")  # both within the 60-day target
    q_last = brief.td_quarters[-1]
    assert (q_last.requested, q_last.issued, q_last.median_days) == (2, 2, Decimal("15.0"))
    assert brief.td_target_days == 60
    assert [p.reference for p in brief.projects] == ["MCEE-XA-001"]  # the pipeline stays with MCET
    assert [m.text for m in brief.key_messages] == ["Approved message EN"]  # drafts never leave MCET
    assert [e.date for e in brief.recent_engagements] == [dt.date(2026, 5, 12), dt.date(2026, 2, 3)]
    assert brief.recent_engagements[0].projects_leveraged == ["MCEE-XA-001"]
    assert brief.recent_engagements[1].leveraged is False and brief.recent_engagements[1].no_project_used
    assert [e.date for e in brief.upcoming_engagements] == [dt.date(2027, 1, 20)]
    assert [(f.action, f.overdue) for f in brief.follow_ups] == [("Send the list of pending requests", True)]
    assert brief.escalation.level == 3 and brief.plan.version == 1
    kinds = [(e.date, e.kind) for e in brief.timeline]
    assert (dt.date(2025, 1, 15), "project") in kinds  # the start, in the timeline's fourth month
    assert (dt.date(2027, 3, 31), "project") not in kinds  # the end is still to come
    assert (dt.date(2025, 9, 17), "decision") in kinds
    assert (dt.date(2026, 5, 12), "engagement") in kinds
    assert next(e for e in brief.timeline if e.date == dt.date(2026, 5, 12)).leveraged


def test_labels_follow_the_language(briefing, reader):
    brief = country_brief(country=briefing["country"], user=reader("rwg_member"), on=ON, language="fr")
    assert brief.td_quarters[0].label == "2024-2025 T3"
    assert brief.category_label == "Récalcitrant"
    assert [m.text for m in brief.key_messages] == ["Message approuvé FR"]
    assert brief.projects[0].partner == "OIM" and brief.projects[0].title == "Registres frontaliers"
    sections = brief_sections(brief)
    td = next(s for s in sections if s.key == "travel-documents")
    row = next(r for r in td.tables[0].rows if r[0] == "2025-2026 T1")
    assert row[4] == "40,0"  # decimal comma
    projects = next(s for s in sections if s.key == "projects")
    assert projects.tables[0].rows[0][3] == "1\u202f234\u202f567\u00a0$"


def test_an_officer_sees_no_escalation_plan_or_rationale(briefing, reader):
    brief = country_brief(country=briefing["country"], user=reader("officer_cbsa"), on=ON, language="en")
    assert not brief.may_see_escalation and brief.escalation is None
    assert not brief.may_see_plan and brief.plan is None
    assert all(c.rationale == "" for c in brief.category_history)
    summary = brief_sections(brief)[0]
    labels = [label for label, _ in summary.facts]
    assert "Escalation step" not in labels and "Engagement plan" not in labels


def test_the_query_count_does_not_grow_with_the_data(briefing, reader, django_assert_max_num_queries):
    from django.db import connection

    user = reader("rwg_member")
    with CaptureQueriesContext(connection) as small:
        country_brief(country=briefing["country"], user=user, on=ON, language="en")
    xa = briefing["country"]
    for number in range(15):
        engagement = Engagement.objects.create(country=xa, date=dt.date(2026, 3, 1) + dt.timedelta(days=number),
                                               status="held", kind="other", level="officer",
                                               lead_department=briefing["held"].lead_department)
        engagement.projects_leveraged.add(briefing["project"])
        engagement.save()
    with django_assert_max_num_queries(len(small.captured_queries)):
        country_brief(country=xa, user=user, on=ON, language="en")


# --- the page and the PDF -----------------------------------------------------------------------------


def page_of(code="XA", language="en"):
    return CountryBriefPage.objects.get(country__code=code, locale__language_code=language)


def test_the_first_classification_gives_the_country_a_page_in_each_language(briefing):
    pages = CountryBriefPage.objects.filter(country=briefing["country"])
    assert sorted(p.locale.language_code for p in pages) == ["en", "fr"]
    assert len({p.translation_key for p in pages}) == 1
    assert page_of("XA", "en").url == "/en/briefs/xa/" and page_of("XA", "fr").url == "/fr/fiches-pays/xa/"
    CountryClassification.objects.create(country=briefing["country"], category="preventive",
                                         effective_date=dt.date(2026, 1, 1))
    assert CountryBriefPage.objects.filter(country=briefing["country"]).count() == 2  # never twice


@pytest.mark.parametrize("language", ["en", "fr"])
def test_page_and_pdf_show_the_same_sections_and_numbers(client, briefing, reader, language):
    user = reader("rwg_member")
    client.force_login(user)
    page = page_of("XA", language)
    html = client.get(f"{page.url}?on={ON.isoformat()}").content.decode()
    pdf = client.get(f"{page.url}pdf/?on={ON.isoformat()}")
    assert pdf["Content-Type"] == "application/pdf"
    _reader, pages = pdf_text(pdf.content)
    text = squeeze(" ".join(pages))
    brief = country_brief(country=briefing["country"], user=user, on=ON, language=language)
    import html as html_lib

    page_text = squeeze(html_lib.unescape(html))
    for section in brief_sections(brief):
        assert squeeze(section.title) in text and squeeze(section.title) in page_text
        for table in section.tables:
            for row in table.rows:
                for value in row:
                    assert squeeze(value) in text, (section.key, value)
                    assert squeeze(value) in page_text, (section.key, value)
    assert squeeze("MCEE-XA-001") in text


def test_the_pdf_is_marked_numbered_and_titled(briefing, reader):
    brief = country_brief(country=briefing["country"], user=reader("rwg_member"), on=ON, language="fr")
    reader_, pages = pdf_text(brief_pdf(brief, paper="a4"))
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert text.count("PROTÉGÉ B") >= 2  # top and bottom of every page
        assert f"Page {number} de {len(pages)}" in text
    assert reader_.metadata.title == "Fiche d’information : Xandrie"
    assert reader_.trailer["/Root"]["/Lang"] == "fr"
    width, height = float(reader_.pages[0].mediabox.width), float(reader_.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4
    fonts = {str(f["/BaseFont"]) for p in reader_.pages for f in p["/Resources"]["/Font"].values()}
    assert any("DejaVuSans" in f for f in fonts)
    assert "Récalcitrant" in " ".join(pages) and "Table des matières" in pages[0]
    outline = [item.title for item in reader_.outline if not isinstance(item, list)]
    assert "Documents de voyage" in outline and "Chronologie" in outline
    letter = PdfReader(io.BytesIO(brief_pdf(brief, paper="letter"))).pages[0].mediabox
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)


def test_an_officer_reads_no_escalation_in_page_or_pdf(client, briefing, reader):
    client.force_login(reader("officer_cbsa"))
    html = client.get(page_of().url).content.decode()
    assert "Escalation step" not in html and "Firmer tone" not in html and "SENSITIVE-RATIONALE" not in html
    _r, pages = pdf_text(client.get(page_of().url + "pdf/").content)
    text = " ".join(pages)
    assert "Escalation step" not in text and "Firmer tone" not in text and "SENSITIVE-RATIONALE" not in text
    client.force_login(reader("rwg_member"))
    assert "Firmer tone" in client.get(page_of().url).content.decode()


def test_who_may_open_a_brief(client, briefing, django_user_model):
    response = client.get(page_of().url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get(page_of().url + "pdf/").status_code == 302
    client.force_login(django_user_model.objects.create_user("nobody", password="x-not-used-0123"))
    assert client.get(page_of().url).status_code == 403
    assert client.get(page_of().url + "pdf/").status_code == 403


def test_the_page_carries_the_marking_charts_with_text_and_a_language_switch(client, briefing, reader):
    client.force_login(reader("rwg_member"))
    html = client.get(page_of("XA", "fr").url).content.decode()
    assert html.count("PROTÉGÉ B") >= 2 and '<html lang="fr">' in html
    assert html.count('role="img"') >= 3  # two travel-document charts and the timeline
    assert "<caption>Documents de voyage au cours des 8 derniers trimestres</caption>" in html
    assert 'href="/en/briefs/xa/"' in html and 'lang="en"' in html
    assert "pdf/" in html


def test_a_bad_date_is_explained_and_today_is_shown(client, briefing, reader):
    client.force_login(reader("rwg_member"))
    response = client.get(page_of().url + "?on=2026-13-45")
    assert response.status_code == 200
    assert "“2026-13-45” is not a date; write it as YYYY-MM-DD." in response.content.decode()


def test_the_page_query_count_does_not_grow_with_the_data(client, briefing, reader):
    from django.db import connection

    client.force_login(reader("rwg_member"))
    with CaptureQueriesContext(connection) as small:
        assert client.get(page_of().url).status_code == 200
    for number in range(12):
        Engagement.objects.create(country=briefing["country"], date=dt.date(2026, 8, 1) + dt.timedelta(days=number),
                                  status="held", kind="other", level="officer",
                                  lead_department=briefing["held"].lead_department)
    with CaptureQueriesContext(connection) as large:
        assert client.get(page_of().url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_index_lists_briefs_and_offers_the_next_meeting_zip(client, briefing, reader):
    meeting = RWGMeeting.objects.create(date=dt.date.today() + dt.timedelta(days=10), level="adm")
    meeting.agenda_countries.add(briefing["country"])
    client.force_login(reader("rwg_member"))
    html = client.get("/en/briefs/").content.decode()
    assert 'href="/en/briefs/xa/"' in html and 'href="/en/briefs/meeting/"' in html
    response = client.get("/en/briefs/meeting/")
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert names == [f"brief-xa-en-{dt.date.today().isoformat()}.pdf"]


# --- the command --------------------------------------------------------------------------------------


def test_the_command_writes_a_pdf_and_explains_bad_input(briefing, tmp_path):
    out = tmp_path / "brief-xa-fr.pdf"
    call_command("brief", "XA", "--lang", "fr", "--out", str(out), "--on", ON.isoformat(), stdout=io.StringIO())
    _r, pages = pdf_text(out.read_bytes())
    assert "Fiche d’information : Xandrie" in pages[0]
    missing = tmp_path / "none.pdf"
    with pytest.raises(CommandError, match="No country with the code ZZ"):
        call_command("brief", "ZZ", "--out", str(missing))
    with pytest.raises(CommandError, match="not a date"):
        call_command("brief", "XA", "--out", str(missing), "--on", "06/12/2026")
    with pytest.raises(CommandError, match="No RWG meeting is planned"):
        call_command("brief", "--next-meeting", "--out", str(missing))
    assert not missing.exists()
    assert Country.objects.count() == 1
