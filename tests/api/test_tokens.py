"""System accounts and tokens: hashed at rest, shown once, revoked, expired, wrong, throttled, and
system accounts that never sign in with a password."""

import datetime as dt
import io

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from mcee.api.tokens import api_token_create, api_token_revoke, system_account_create, token_digest
from mcee.models import ApiToken, SystemAccount

pytestmark = pytest.mark.django_db


def bearer(secret):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_the_secret_is_stored_only_as_its_hash(api_world, make_token):
    _account, secret = make_token("CBSA officers")
    token = ApiToken.objects.get()
    assert secret.startswith(f"mcee_{token.prefix}_") and len(secret) > 50
    assert token.digest == token_digest(secret) and secret not in token.digest
    # Nowhere in the token table, nor in the audit trail.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")  # noqa: S608
        assert not any(secret in str(value) for row in cursor.fetchall() for value in row)
    assert not any(secret in str(entry.changes) for entry in LogEntry.objects.all())
    assert "digest" not in str(LogEntry.objects.get_for_object(token).first().changes)


def test_a_valid_token_reads_and_records_its_last_use(api_world, make_token):
    _account, secret = make_token("CBSA officers")
    assert ApiToken.objects.get().last_used_at is None
    assert bearer(secret).get("/api/v1/countries/").status_code == 200
    assert ApiToken.objects.get().last_used_at is not None
    # "Token <secret>" works as well as "Bearer <secret>".
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert client.get("/api/v1/countries/").status_code == 200


@pytest.mark.parametrize("header", ["Bearer mcee_00000000_wrong", "Bearer not-even-ours", "Bearer a b",
                                    "Bearer"])
def test_a_wrong_token_is_refused_with_401_and_a_reason(api_world, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/countries/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="mcee"'
    assert response.json()["detail"]


def test_a_revoked_token_is_refused_at_once(api_world, make_token, administrator):
    _account, secret = make_token("CBSA officers")
    assert bearer(secret).get("/api/v1/countries/").status_code == 200
    api_token_revoke(token=ApiToken.objects.get(), user=administrator)
    response = bearer(secret).get("/api/v1/countries/")
    assert response.status_code == 401
    token = ApiToken.objects.get()
    assert response.json()["detail"] == (
        f"This token ({token.prefix}) was revoked on {token.revoked_at.date().isoformat()}; ask an MCET "
        "administrator for a new one.")
    entry = LogEntry.objects.get_for_object(token).order_by("-timestamp").first()
    assert entry.actor == administrator and "revoked_at" in entry.changes


def test_an_expired_token_is_refused(api_world, make_token):
    soon = timezone.now() + dt.timedelta(minutes=5)
    _account, secret = make_token("CBSA officers", expires_at=soon)
    assert bearer(secret).get("/api/v1/countries/").status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = bearer(secret).get("/api/v1/countries/")
    assert response.status_code == 401 and "expired on" in response.json()["detail"]


def test_a_disabled_system_account_cannot_use_its_tokens(api_world, make_token):
    account, secret = make_token("CBSA officers")
    account.user.is_active = False
    account.user.save()
    response = bearer(secret).get("/api/v1/countries/")
    assert response.status_code == 401 and "is disabled" in response.json()["detail"]


def test_refused_messages_are_in_the_language_asked_for(api_world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer mcee_00000000_wrong")
    response = client.get("/api/v1/countries/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 401 and "jeton" in response.json()["detail"]


def test_a_system_account_cannot_sign_in_with_a_password(api_world, make_token, client):
    account, _secret = make_token("CBSA officers")
    assert not account.user.has_usable_password()
    account.user.set_password("someone-set-one-1234")  # even if an administrator gives it one later
    account.user.save()
    response = client.post("/admin/login/", {"username": account.user.username, "password": "someone-set-one-1234"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session  # the form again, not signed in


def test_a_system_account_acts_for_one_department_or_one_partner_only(api_world, administrator):
    with pytest.raises(ValidationError) as caught:
        system_account_create(username="sys-staff", group=Group.objects.get(name="MCET staff"), user=administrator)
    assert "group" in caught.value.message_dict
    with pytest.raises(ValidationError):
        system_account_create(username="sys-x", group=Group.objects.get(name="CBSA officers"),
                              permissions=["everything"], user=administrator)
    account = system_account_create(username="sys-iom", group=Group.objects.get(name="IOM reporters"),
                                    user=administrator)
    assert list(account.user.groups.values_list("name", flat=True)) == ["IOM reporters"]
    with pytest.raises(ValidationError):  # the name is taken
        system_account_create(username="SYS-IOM", group=Group.objects.get(name="IOM reporters"))
    assert SystemAccount.objects.count() == 1


def test_a_token_needs_a_name_and_a_future_expiry(api_world, make_token):
    account, _secret = make_token("CBSA officers")
    with pytest.raises(ValidationError):
        api_token_create(account=account, name=" ")
    with pytest.raises(ValidationError):
        api_token_create(account=account, name="x", expires_at=timezone.now() - dt.timedelta(days=1))
    assert ApiToken.objects.count() == 1


def test_too_many_requests_answer_429_with_retry_after(api_world, make_token, settings):
    settings.MCEE_API_RATE = "3/minute"
    _account, secret = make_token("CBSA officers")
    _other, other_secret = make_token("GAC officers")
    client = bearer(secret)
    assert [client.get("/api/v1/countries/").status_code for _ in range(3)] == [200, 200, 200]
    response = client.get("/api/v1/countries/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "throttled" in response.json()["detail"].lower()
    # Per token: another system is not slowed down by this one.
    assert bearer(other_secret).get("/api/v1/countries/").status_code == 200


def test_the_command_makes_an_account_a_token_lists_and_revokes(api_world, administrator):
    out = io.StringIO()
    call_command("api_token", "--by", administrator.username, "account", "--username", "cbsa-nightly",
                 "--acts-for", "CBSA officers", "--push-travel-documents", stdout=out)
    assert "acts as CBSA officers" in out.getvalue()
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", "create", "--account", "cbsa-nightly", "--name", "nightly pull",
                 "--expires", "2099-03-31", stdout=out, stderr=err)
    secret = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert secret.startswith(f"mcee_{token.prefix}_") and "shown only this once" in err.getvalue()
    assert token.expires_at.date().isoformat() in ("2099-04-01", "2099-03-31")
    assert bearer(secret).get("/api/v1/countries/").status_code == 200
    listing = io.StringIO()
    call_command("api_token", "list", stdout=listing)
    line = listing.getvalue()
    assert token.prefix in line and "push_travel_documents" in line and secret not in line and "active" in line
    call_command("api_token", "revoke", token.prefix, stdout=io.StringIO())
    assert bearer(secret).get("/api/v1/countries/").status_code == 401
    entries = LogEntry.objects.get_for_object(token)
    assert {e.additional_data["source"] for e in entries} == {"command"}
    with pytest.raises(CommandError, match="not an MCET administrator"):
        call_command("api_token", "--by", "cbsa-nightly", "groups")


def test_the_rate_is_counted_in_the_shared_cache(api_world, make_token, settings):
    """With Redis (production's cache), every web process counts the same requests (DB 6: this branch's)."""
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/6", socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:6379/6",
                                   "KEY_PREFIX": "mcee-api-test"}}
    settings.MCEE_API_RATE = "2/minute"
    from django.core.cache import cache

    cache.clear()
    _account, secret = make_token("CBSA officers")
    token = ApiToken.objects.get()
    assert [bearer(secret).get("/api/v1/countries/").status_code for _ in range(3)] == [200, 200, 429]
    assert cache.get(f"throttle_api_token-{token.pk}")  # the count lives in Redis
    cache.clear()
