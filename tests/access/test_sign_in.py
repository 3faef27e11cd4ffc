"""Sign-in and session hardening: lockout, two-factor, CSP, sessions, production transport."""

import importlib

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


@pytest.fixture
def officer(django_user_model):
    user = django_user_model.objects.create_user("officer", password="right-password-123")
    user.groups.add(Group.objects.get(name="CBSA officers"))
    return user


@pytest.fixture
def mcet_admin(django_user_model):
    user = django_user_model.objects.create_user("boss", password="right-password-123")
    user.groups.add(Group.objects.get(name="MCET administrators"))
    return user


def login(client, username, password, language="en"):
    return client.post(LOGIN, {"username": username, "password": password}, HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.parametrize(("language", "message"), [
    ("en", "Too many failed sign-in attempts"),
    ("fr", "Trop de tentatives de connexion"),
])
def test_five_failures_lock_the_account_with_a_clear_message(client, officer, settings, language, message):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = login(client, "officer", "wrong", language)
        assert response.status_code == 200  # the form again, with its error
    response = login(client, "officer", "wrong", language)
    assert response.status_code == 429
    assert message in response.content.decode()
    # The right password does not get in while the lock lasts.
    response = login(client, "officer", "right-password-123", language)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_success_before_the_limit_resets_the_count(client, officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "officer", "wrong")
    assert login(client, "officer", "right-password-123").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "officer", "wrong").status_code == 200


def test_an_mcet_administrator_must_set_up_two_factor_before_anything_else(client, mcet_admin):
    assert login(client, "boss", "right-password-123").status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mcee_two_factor_setup"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=mcet_admin, confirmed=False)

    wrong = client.post(reverse("mcee_two_factor_setup"), {"token": "000000", "next": "/admin/"})
    assert "That code is not valid" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302

    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    hurried = client.post(reverse("mcee_two_factor_setup"), {"token": code, "next": "/admin/"})
    assert "Wait a few seconds" in hurried.content.decode()  # throttled right after a wrong code
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    done = client.post(reverse("mcee_two_factor_setup"), {"token": code, "next": "/admin/"})
    assert done.status_code == 302 and done["Location"] == "/admin/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


def test_an_mcet_administrator_with_a_device_is_asked_for_a_code_each_session(client, mcet_admin):
    device = StaticDevice.objects.create(user=mcet_admin, name="backup", confirmed=True)
    StaticToken.objects.create(device=device, token="backup-code-1")
    login(client, "boss", "right-password-123")
    response = client.get("/admin/snippets/projects/project/")
    assert response["Location"].startswith(reverse("mcee_two_factor_verify"))
    refused = client.post(reverse("mcee_two_factor_verify"), {"token": "nope"})
    assert refused.status_code == 200 and "That code is not valid" in refused.content.decode()
    StaticDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    response = client.post(reverse("mcee_two_factor_verify"),
                           {"token": "backup-code-1", "next": "/admin/snippets/projects/project/"})
    assert response["Location"] == "/admin/snippets/projects/project/"
    assert client.get("/admin/snippets/projects/project/").status_code == 200
    assert not StaticToken.objects.filter(token="backup-code-1").exists()  # one use only


def test_the_verify_page_gets_the_icons_and_scripts_it_loads_not_a_copy_of_itself(client, mcet_admin):
    device = StaticDevice.objects.create(user=mcet_admin, name="backup", confirmed=True)
    StaticToken.objects.create(device=device, token="backup-code-3")
    login(client, "boss", "right-password-123")
    sprite = client.get(reverse("wagtailadmin_sprite"))
    assert sprite.status_code == 200 and b"<svg" in sprite.content and b'name="token"' not in sprite.content
    assert client.get(reverse("wagtailadmin_javascript_catalog")).status_code == 200
    assert client.get("/admin/").status_code == 302  # everything else still waits for the code


def test_the_verify_page_will_not_redirect_off_site(client, mcet_admin):
    device = StaticDevice.objects.create(user=mcet_admin, name="backup", confirmed=True)
    StaticToken.objects.create(device=device, token="backup-code-2")
    login(client, "boss", "right-password-123")
    response = client.post(reverse("mcee_two_factor_verify"),
                           {"token": "backup-code-2", "next": "https://evil.example/"})
    assert response["Location"] == reverse("wagtailadmin_home")


def test_two_factor_is_optional_for_other_roles(client, officer):
    login(client, "officer", "right-password-123")
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("mcee_two_factor_setup")).status_code == 200  # but available


def test_reader_pages_have_a_strict_content_security_policy(client):
    policy = client.get("/en/")["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "frame-ancestors 'none'" in policy


def test_admin_pages_allow_only_wagtails_inline_scripts(client, officer):
    client.force_login(officer)
    policy = client.get("/admin/")["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'self'" in script_src and "'unsafe-inline'" in script_src
    assert "object-src 'none'" in policy


def test_sessions_end_after_thirty_idle_minutes(client, officer, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # every request renews the idle timer
    client.force_login(officer)
    assert client.get("/admin/").status_code == 200
    session = client.session
    session.set_expiry(-1)  # as if the idle time had passed
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_production_settings_harden_transport_and_cookies(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("MCEE_CASE_REF_KEY", "k" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "mcee.example")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    production = importlib.import_module("mcee.settings.production")
    production = importlib.reload(production)
    assert production.DEBUG is False
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SECURE_HSTS_SECONDS >= 31536000
    assert production.SECURE_SSL_REDIRECT
    assert production.X_FRAME_OPTIONS == "DENY"
    assert production.SECURE_REFERRER_POLICY == "same-origin"
    assert production.COUNTRIES_OVERRIDE == {}  # no fictional countries in production


def test_production_settings_refuse_to_start_without_a_case_reference_key(monkeypatch):
    """Travel-document case references are stored only as a keyed hash: the key is a secret too."""
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.delenv("MCEE_CASE_REF_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="MCEE_CASE_REF_KEY"):
        importlib.reload(importlib.import_module("mcee.settings.production"))


def test_production_settings_refuse_to_start_without_a_secret_key(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured):
        importlib.reload(importlib.import_module("mcee.settings.production"))
