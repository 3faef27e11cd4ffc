"""axe-core on every reader page and on the main admin screens the project adds: no violation of the
WCAG 2.0 and 2.1 A and AA rules (tags wcag2a, wcag2aa, wcag21a, wcag21aa).

axe runs on the page as a person gets it, in a real browser, after sign-in where the page needs it. All
pages of a role are checked before the test fails, so one run lists every violation at once. Wagtail's own
admin chrome is checked too; where a violation is Wagtail's and cannot be fixed from this project, it is
left out narrowly in ``WAGTAIL_EXCLUSIONS`` with the reason (none so far).
"""

import pytest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from countries.models import Country
from projects.models import PartnerReport, ReportStatus
from tests.e2e.conftest import describe, run_axe, screenshot, sign_in
from tests.e2e.test_journeys import CASES_WITH_ERRORS, run_import_worker, upload

pytestmark = pytest.mark.e2e

# CSS selectors axe leaves out, each with the Wagtail issue it stands for. Keep this list short and exact.
WAGTAIL_EXCLUSIONS = ()


def check(page, path, found, *, language="en"):
    if path is not None:
        page.goto(path)
        page.wait_for_load_state("networkidle")
    violations = run_axe(page, exclude=WAGTAIL_EXCLUSIONS)
    if violations:
        found[f"{path or page.url} [{language}]"] = describe(violations)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_reader_pages(new_page, demo, language):
    page = new_page(language)
    found = {}
    check(page, f"/{language}/", found, language=language)
    response = page.goto(f"/{language}/no-such-page/")
    assert response.status == 404
    check(page, None, found, language=language)
    check(page, "/admin/login/", found, language=language)
    assert found == {}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_mcet_staff_screens(new_page, person, language):
    staff = person("mcet_staff", language)
    xa = Country.objects.get(code="XA")
    report = PartnerReport.objects.filter(project__partner__acronym="IOM").order_by("due_on").first()
    page = new_page(language)
    sign_in(page, staff)
    found = {}
    for path in [
        "/admin/",
        "/admin/snippets/projects/project/",
        "/admin/snippets/projects/project/add/",
        "/admin/snippets/engagements/engagement/",
        "/admin/snippets/engagements/engagement/add/",
        f"/admin/snippets/countries/country/inspect/{xa.pk}/",
        "/admin/engagement-calendar/",
        "/admin/responsibility-matrix/",
        "/admin/mcee-reports/priority-areas/",
        "/admin/mcee-reports/funding-by-category/",
        "/admin/mcee-reports/engagement-leverage/",
        "/admin/mcee-reports/pmf/",
        f"/admin/snippets/projects/partnerreport/inspect/{report.pk}/",
        "/admin/two-factor/setup/",
        "/admin/mcee-imports/new/",
    ]:
        check(page, path, found, language=language)
    upload(page, "td-cases.csv", CASES_WITH_ERRORS)  # the progress page, then its list of problems
    check(page, None, found, language=language)
    run_import_worker()
    page.get_by_role("table").last.wait_for()
    page.wait_for_load_state("networkidle")
    check(page, None, found, language=language)
    check(page, "/admin/import-runs/", found, language=language)
    assert found == {}


def test_officer_and_partner_forms(new_page, person):
    found = {}
    officer = new_page("fr")
    sign_in(officer, person("officer_cbsa", "fr"))
    check(officer, "/admin/snippets/engagements/engagement/add/", found, language="fr")
    officer.locator("#id_follow_ups-ADD").click()  # the follow-up inline, opened
    check(officer, None, found, language="fr")

    reporter = new_page("en")
    sign_in(reporter, person("iom_reporter", "en"))
    report = PartnerReport.objects.get(project__partner__acronym="IOM", status=ReportStatus.DRAFT)
    check(reporter, f"/admin/snippets/projects/partnerreport/edit/{report.pk}/", found)
    check(reporter, f"/admin/snippets/projects/partnerreport/inspect/{report.pk}/", found)
    assert found == {}


def test_administrator_two_factor_and_api_token_screens(new_page, person, django_user_model):
    """An MCET administrator gives a one-time backup code after the password, then makes a token."""
    from django.contrib.auth.models import Group, Permission

    from mcee.roles import MCET_ADMIN, sync_role_group

    sync_role_group(MCET_ADMIN, Group, Permission)
    admin = django_user_model.objects.create_user("mcet.admin.e2e", password="fictional-e2e-password-2026")
    admin.groups.set([Group.objects.get(name=MCET_ADMIN.group_name)])
    device = StaticDevice.objects.create(user=admin, name="Backup codes", confirmed=True)
    StaticToken.objects.create(device=device, token="e2e-backup-1")

    page = new_page("en")
    page.goto("/admin/login/")
    page.locator("#id_username").fill(admin.username)
    page.locator("#id_password").fill("fictional-e2e-password-2026")
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/admin/two-factor/verify/**")
    found = {}
    check(page, None, found)
    page.locator("#id_token").fill("e2e-backup-1")  # one field: the page is not inside itself
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/admin/")

    check(page, "/admin/api-tokens/", found)
    check(page, "/admin/api-tokens/accounts/new/", found)
    page.locator("#id_username").fill("cbsa-nightly")
    page.locator("#id_group").select_option(label="CBSA officers")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/admin/api-tokens/**")
    page.goto("/admin/api-tokens/")
    page.locator("a[href*='/tokens/new/']").first.click()
    check(page, None, found)
    page.locator("#id_name").fill("nightly pull")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    check(page, None, found)  # the new token, shown once
    screenshot(page, "api-token-created", "en")
    assert found == {}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_country_brief_pages_and_the_dashboard(new_page, person, language):
    member = person("rwg_member", language)
    page = new_page(language)
    sign_in(page, member)
    found = {}
    index = "/en/briefs/" if language == "en" else "/fr/fiches-pays/"
    for path in [index, f"{index}xa/", f"{index}xb/", "/admin/performance-dashboard/"]:
        check(page, path, found, language=language)
    assert found == {}
    # The charts are images with a name, and their figures are in a table.
    page.goto(f"{index}xa/")
    charts = page.locator("svg[role=img]")
    assert charts.count() >= 1
    for number in range(charts.count()):
        assert charts.nth(number).get_attribute("aria-labelledby")
    assert page.locator("table caption").count() >= 3
