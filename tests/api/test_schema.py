"""The OpenAPI schema: committed in docs/api/openapi.yaml, regenerated without warnings, served to
signed-in callers, and documented on a page of this server."""

from pathlib import Path

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"
REGENERATE = "python manage.py spectacular --lang en --file docs/api/openapi.yaml --validate --fail-on-warn"


def test_the_committed_schema_matches_the_code(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--lang", "en", "--file", str(generated), "--validate", "--fail-on-warn")
    assert generated.read_text(encoding="utf-8") == SCHEMA_FILE.read_text(encoding="utf-8"), (
        f"The API's schema has changed and docs/api/openapi.yaml no longer describes it. Regenerate it with "
        f"`{REGENERATE}` (or `make api-schema`), review the difference and commit it.")


def test_the_schema_and_its_page_are_for_signed_in_callers(api_world, api_as):
    anonymous = APIClient()
    assert anonymous.get("/api/schema/").status_code == 401
    assert anonymous.get("/api/docs/").status_code == 401
    client = api_as("CBSA officers")
    response = client.get("/api/schema/")
    assert response.status_code == 200 and b"/api/v1/engagements/" in response.content
    assert response["X-Security-Marking"] == "PROTECTED B"
    assert client.get("/api/schema/?format=json").json()["info"]["title"] == "MCEE API"


def test_the_documentation_page_is_served_here_with_the_marking(api_world, client, django_user_model):
    from django.contrib.auth.models import Group

    person = django_user_model.objects.create_user("reader", password="not-used-0123456")
    person.groups.add(Group.objects.get(name="CBSA officers"))
    client.force_login(person)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "PROTECTED B" in html and "/api/v1/td-monthly/batch/" in html and "updated_since" in html
    assert "<script" not in html and "http://" not in html.replace("http://testserver", "")  # nothing from elsewhere
    browsable = client.get("/api/v1/engagements/", HTTP_ACCEPT="text/html").content.decode()
    assert "PROTECTED B" in browsable and "cdn" not in browsable.lower()
