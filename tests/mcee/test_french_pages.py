"""French pages speak French: no English text of the project's own catalogue on any page rendered in
French (reader pages, and the main admin screens for people whose admin language is French), and figures
written the French way (``1 234 567 $``).

The project's English strings are the msgids of ``locale/fr/LC_MESSAGES/django.po`` whose French differs;
a page's visible text (text nodes, and the ``title``, ``alt``, ``placeholder`` and ``aria-label`` a screen
reader or a pointer shows) is compared with them. Text inside an element declared in another language
(``lang="en"``, the language switcher or a visible fallback) is English on purpose and left out.
"""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from lxml import html as lxml_html
from wagtail.users.models import UserProfile

from cms.demo import load_demo_engagements, load_demo_portfolio, load_demo_rwg
from cms.demo_results import load_demo_results
from countries.models import Country
from mcee.formatting import NBSP, NNBSP
from mcee.roles import STANDING_ROLES, department_officer_role, partner_reporter_role, sync_role_group
from projects.models import PartnerReport, ReportStatus
from tests.mcee.test_translations import entries

pytestmark = pytest.mark.django_db

ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def english_catalogue():
    """(msgid, pattern) for each of the project's strings whose French is not the English."""
    found = []
    for _flags, msgid, strs in entries():
        if not strs or strs[0] == msgid or len(msgid) < 4:
            continue
        msgid = msgid.replace('\\"', '"').replace("\\n", "\n")
        if len("".join(PLACEHOLDER.split(msgid)).strip()) < 4:
            continue
        pattern = r"\s+".join(re.escape(p) for p in msgid.split())  # the template may wrap it
        pattern = re.sub(r"%\\\(\w+\\\)[sd]|%[sd]", ".+?", pattern)
        found.append((msgid, re.compile(pattern)))
    return found


def visible_texts(content: bytes) -> list[str]:
    tree = lxml_html.fromstring(content)
    for element in tree.xpath("//script|//style|//template|//noscript|//svg//desc"):
        element.drop_tree()
    texts = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        declared = element.xpath("ancestor-or-self::*[@lang][1]/@lang")
        if declared and not declared[0].startswith("fr"):
            continue
        if element.text and element.text.strip():
            texts.append(" ".join(element.text.split()))
        for child in element:  # text after a child belongs to this element's language
            if child.tail and child.tail.strip():
                texts.append(" ".join(child.tail.split()))
        texts.extend(" ".join(element.get(name).split()) for name in ATTRIBUTES if element.get(name))
    return texts


def english_on(content: bytes, catalogue) -> set[str]:
    texts = visible_texts(content)
    found = set()
    for msgid, pattern in catalogue:
        for text in texts:
            # A whole text, or a sentence of several words inside one: never a short word inside a name.
            if pattern.fullmatch(text) or (len(msgid.split()) >= 3 and pattern.search(text)):
                found.add(msgid)
                break
    return found


@pytest.fixture
def demo(db):
    load_demo_portfolio()
    load_demo_rwg()
    load_demo_engagements()
    load_demo_results()


@pytest.fixture
def french_client(client, django_user_model, settings):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []

    def make(role):
        if isinstance(role, str):
            role = next(r for r in STANDING_ROLES if r.code == role)
        sync_role_group(role, Group, Permission)
        user = django_user_model.objects.create_user(f"fr-{role.code}-{django_user_model.objects.count()}",
                                                     password="x-not-used-0123")
        user.groups.set([Group.objects.get(name=role.group_name)])
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "fr"
        profile.save()
        client.force_login(user)
        return client

    return make


def pages_for(demo_ids):
    xa, report = demo_ids["xa"], demo_ids["report"]
    return [
        ("mcet_staff", [
            "/admin/", "/admin/snippets/projects/project/", "/admin/snippets/projects/project/add/",
            "/admin/snippets/engagements/engagement/", "/admin/snippets/engagements/engagement/add/",
            f"/admin/snippets/countries/country/inspect/{xa}/", "/admin/mcee-reports/priority-areas/",
            "/admin/mcee-reports/funding-by-category/", "/admin/mcee-reports/engagement-leverage/",
            "/admin/mcee-imports/new/", "/admin/import-runs/", "/admin/engagement-calendar/",
            "/admin/responsibility-matrix/", f"/admin/snippets/projects/partnerreport/inspect/{report}/",
            "/admin/snippets/projects/partnerreport/", "/admin/performance-dashboard/",
            "/fr/fiches-pays/", "/fr/fiches-pays/xa/",
        ]),
        (department_officer_role("cbsa"), ["/admin/", "/admin/snippets/engagements/engagement/add/",
                                           f"/admin/snippets/countries/country/inspect/{xa}/",
                                           "/fr/fiches-pays/xa/"]),
        (partner_reporter_role("IOM"), ["/admin/", f"/admin/snippets/projects/partnerreport/edit/{report}/"]),
    ]


def test_french_pages_show_none_of_the_projects_english(client, demo, french_client):
    catalogue = english_catalogue()
    assert len(catalogue) > 300
    report = PartnerReport.objects.get(project__partner__acronym="IOM", status=ReportStatus.DRAFT)
    ids = {"xa": Country.objects.get(code="XA").pk, "report": report.pk}
    offenders = {}
    for path in ("/fr/",):
        response = client.get(path)
        assert response.status_code == 200
        offenders[path] = english_on(response.content, catalogue)
    for role, paths in pages_for(ids):
        as_role = french_client(role)
        for path in paths:
            response = as_role.get(path)
            assert response.status_code == 200, path
            assert b'<html lang="fr"' in response.content, path
            offenders[f"{path} ({getattr(role, 'code', role)})"] = english_on(response.content, catalogue)
    assert {page: sorted(found) for page, found in offenders.items() if found} == {}


def test_the_check_finds_english_where_there_is_some():
    catalogue = english_catalogue()
    page = b"""<html lang="fr"><body><h1>Projets par domaine prioritaire</h1>
        <p>Sign in to the MCEE workspace</p><button lang="en">English</button>
        <a title="Import a file" href="#">x</a></body></html>"""
    assert english_on(page, catalogue) == {"Sign in to the MCEE workspace", "Import a file"}


def test_figures_follow_the_french_locale(demo, french_client):
    page = french_client("mcet_staff").get("/admin/snippets/projects/project/").content.decode()
    assert f"2{NNBSP}900{NNBSP}000{NBSP}$" in page  # MCEE-2019-001's approved amount
    assert "$2,900,000" not in page
    home = french_client("mcet_staff").get("/admin/").content.decode()
    assert f"21{NNBSP}000{NNBSP}000{NBSP}$" in home  # the envelope's planned total
    assert not re.search(r"\$\d{1,3}(,\d{3})+", home)
