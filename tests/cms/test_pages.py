import pytest

pytestmark = pytest.mark.django_db


def test_root_redirects_to_a_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


@pytest.mark.parametrize(
    ("language", "title", "marking", "sentence"),
    [
        ("en", "MCEE", "PROTECTED B", "Sign in to the MCEE workspace"),
        ("fr", "ECEM", "PROTÉGÉ B", "Se connecter à l’espace de travail de l’ECEM"),
    ],
)
def test_home_page_in_each_language_carries_marking(client, language, title, marking, sentence):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<h1>{title}</h1>" in html
    assert html.count(marking) >= 2  # top and bottom of the page
    assert sentence in html
    assert 'href="/admin/"' in html


def test_admin_login_page_carries_marking_in_its_language(client):
    html = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "PROTÉGÉ B" in html
    html = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "PROTECTED B" in html
