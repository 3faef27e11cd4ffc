"""Logging an engagement with the keyboard alone: Tab to move, typing to fill, Space to tick, Enter to act.

No click and no mouse: every field, the country and department choosers (Wagtail's modal dialogs) and
the Save button are reached with Tab, which also proves the tab order passes through each of them.
"""

import pytest
from django.utils import translation

from engagements.models import Department, Engagement
from tests.e2e.conftest import PASSWORD, screenshot

pytestmark = pytest.mark.e2e

MAX_TABS = 200


def focused(page, script):
    return page.evaluate(f"() => {{ const el = document.activeElement; return !!el && ({script}); }}")


def tab_to(page, script, what):
    """Press Tab until the focused element answers ``script`` (a JavaScript expression on ``el``)."""
    for _ in range(MAX_TABS):
        if focused(page, script):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reaches {what}")


def tab_to_field(page, field_id):
    tab_to(page, f"el.id === '{field_id}'", f"#{field_id}")


MODAL = ".modal[aria-hidden=false]"


def choose_with_keyboard(page, field, name):
    """Open the field's chooser (a modal dialog) with Enter, Tab to the choice, Enter."""
    tab_to(page, f"el.matches('[data-field-input]:has(#id_{field}) button[data-chooser-action-choose]')",
           f"the chooser of {field}")
    page.keyboard.press("Enter")
    page.locator(f"{MODAL} a[data-chooser-modal-choice]").first.wait_for()
    tab_to(page, f"el.matches('{MODAL} a[data-chooser-modal-choice]') && el.textContent.includes({name!r})",
           f"the choice {name}")
    page.keyboard.press("Enter")
    page.locator(MODAL).wait_for(state="detached")
    assert page.locator(f"#id_{field}").input_value() != ""


def select_by_typing(page, field_id, text, value):
    tab_to_field(page, field_id)
    page.keyboard.type(text)
    assert page.locator(f"#{field_id}").input_value() == value


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_officer_logs_an_engagement_with_the_keyboard_only(new_page, person, language):
    officer = person("officer_cbsa", language)
    page = new_page(language)

    page.goto("/admin/login/")
    tab_to_field(page, "id_username")
    page.keyboard.type(officer.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/")

    page.goto("/admin/snippets/engagements/engagement/add/")
    choose_with_keyboard(page, "country", "(XA)")
    tab_to_field(page, "id_date")
    page.keyboard.type("2025-06-03")
    page.keyboard.press("Escape")
    select_by_typing(page, "id_status", "He" if language == "en" else "Te", "held")
    select_by_typing(page, "id_kind", "Bi" if language == "en" else "Ren", "ottawa_bilateral")
    select_by_typing(page, "id_level", "Di" if language == "en" else "Dir", "dg")
    with translation.override(language):
        cbsa = str(Department.objects.get(code="cbsa"))  # "ASFC" in French
    choose_with_keyboard(page, "lead_department", cbsa)
    tab_to_field(page, "id_counterpart_institution")
    page.keyboard.type("Xandrian consular directorate")
    tab_to(page, "el.type === 'checkbox' && el.labels[0] && el.labels[0].textContent.includes('MCEE-2019-001')",
           "the project MCEE-2019-001")
    page.keyboard.press("Space")
    tab_to_field(page, "id_summary")
    page.keyboard.type("Raised the pending travel-document cases.")
    tab_to(page, "el.matches('form button[type=submit]:not(.modal *)')", "Save")
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/snippets/engagements/engagement/")
    screenshot(page, "keyboard-engagement", language)

    engagement = Engagement.objects.get(counterpart_institution="Xandrian consular directorate")
    assert (engagement.country.code.code, engagement.date.isoformat(), engagement.status, engagement.kind,
            engagement.level, engagement.lead_department.code) == ("XA", "2025-06-03", "held", "ottawa_bilateral",
                                                                   "dg", "cbsa")
    assert list(engagement.projects_leveraged.values_list("reference", flat=True)) == ["MCEE-2019-001"]
