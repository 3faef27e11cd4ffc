"""Real-browser journeys: Playwright for Python driving Debian's Chromium against pytest-django's live server.

Every test here is marked ``e2e`` (``make e2e`` runs them; ``make test`` leaves them out). The database is
transactional, because the live server answers from another thread; ``serialized_rollback`` puts back what
the migrations wrote (groups, departments, priority areas, the home pages) before each test. The fictional
demo portfolio is loaded by the demo loader, and each journey signs in as a person with one role.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.users.models import UserProfile

from cms.demo import load_demo_engagements, load_demo_portfolio, load_demo_rwg
from cms.demo_results import load_demo_results
from mcee.audit import COMMAND, audit_source
from mcee.roles import STANDING_ROLES, department_officer_role, partner_reporter_role, sync_role_group

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LOCALES = {"en": "en-CA", "fr": "fr-CA"}
PASSWORD = "fictional-e2e-password-2026"
TIMEOUT_MS = 15_000
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items):
    """Each journey needs a transactional database with the migrations' rows put back."""
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `make browser` (installs Debian's chromium).")
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API runs an event loop in this thread; the test's own ORM calls (setting up
    # data, reading what a journey wrote) are ordinary synchronous calls and safe here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session", autouse=True)
def _clean_artifacts():
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)


@pytest.fixture
def new_page(browser, live_server):
    """``new_page("fr")``: a fresh browser (no cookies) whose language is Canadian French or English."""
    contexts = []

    def make(language="en"):
        context = browser.new_context(locale=LOCALES[language], base_url=live_server.url,
                                      viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def demo(db):
    """The fictional demo world of `make run` (portfolio, RWG records, engagements, results, partner
    reports), without the bulky statistics no journey reads."""
    with audit_source(COMMAND):
        load_demo_portfolio()
        load_demo_rwg()
        load_demo_engagements()
        load_demo_results()


ROLES = {
    "mcet_staff": "mcet_staff",
    "officer_cbsa": department_officer_role("cbsa"),
    "officer_gac": department_officer_role("gac"),
    "iom_reporter": partner_reporter_role("IOM"),
    "rwg_member": "rwg_member",
}


@pytest.fixture
def person(django_user_model, demo):
    """``person("officer_cbsa", "fr")``: a user with that one role, whose admin speaks that language."""

    def make(role_key, language="en"):
        role = ROLES[role_key]
        if isinstance(role, str):
            role = next(r for r in STANDING_ROLES if r.code == role)
        sync_role_group(role, Group, Permission)
        username = f"{role_key.replace('_', '.')}.{language}"
        user = django_user_model.objects.create_user(username, email=f"{username}@example.invalid",
                                                     password=PASSWORD, first_name="Alex", last_name="Tester")
        user.groups.set([Group.objects.get(name=role.group_name)])
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()
        return user

    return make


def sign_in(page, user, password=PASSWORD):
    """The sign-in form, as a person fills it."""
    page.goto("/admin/login/")
    page.get_by_label(_label(page, "username")).fill(user.username)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/admin/")


def _label(page, field):
    return page.locator(f"label[for=id_{field}]").inner_text().strip().rstrip("*").strip()


def screenshot(page, journey, language):
    """The journey's last page, kept as a test artifact (test-artifacts/e2e/<journey>-<lang>.png)."""
    page.screenshot(path=str(ARTIFACTS / f"{journey}-{language}.png"), full_page=True)


def run_axe(page, *, exclude=()):
    """axe-core's WCAG 2.0/2.1 A and AA rules on the page as shown; returns the violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's Content Security Policy (no inline
        # scripts) does not apply to: the policy stays on for everything the journeys exercise.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    context = {"exclude": [[selector] for selector in exclude]} if exclude else {"include": [["html"]]}
    result = page.evaluate(
        "([context, tags]) => axe.run(context, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        [context, WCAG_TAGS],
    )
    return result["violations"]


def describe(violations):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> " + "; ".join(n["target"][0] if isinstance(n["target"][0], str)
                                                                 else str(n["target"]) for n in v["nodes"][:5])
        for v in violations)
