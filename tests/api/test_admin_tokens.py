"""Settings → API tokens: for MCET administrators only; the secret is shown once; revoking works at once."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from mcee.api.tokens import api_token_create, system_account_create
from mcee.models import ApiToken, SystemAccount

pytestmark = pytest.mark.django_db
INDEX = "/admin/api-tokens/"


@pytest.fixture
def person(django_user_model, settings):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []

    def make(group_name):
        user = django_user_model.objects.create_user(f"p-{group_name.split()[0].lower()}", password="x-not-used-0123")
        user.groups.add(Group.objects.get(name=group_name))
        return user
    return make


def test_an_administrator_makes_an_account_and_a_token_seen_once(client, person, api_world):
    client.force_login(person("MCET administrators"))
    assert client.get(INDEX).status_code == 200
    response = client.post("/admin/api-tokens/accounts/new/", {
        "username": "cbsa-nightly", "group": Group.objects.get(name="CBSA officers").pk,
        "push_travel_documents": "on", "description": "CBSA's nightly exchange", "contact_email": ""})
    account = SystemAccount.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/accounts/{account.pk}/tokens/new/")
    response = client.post(response["Location"], {"name": "nightly pull", "expires_on": "2099-03-31"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    secret = re.search(r'value="(mcee_[^"]+)"', response.content.decode())[1]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/engagements/").status_code == 200
    listing = client.get(INDEX).content.decode()
    token = ApiToken.objects.get()
    assert token.prefix in listing and "nightly pull" in listing and secret not in listing
    assert "May push travel-document data." in listing
    client.post(f"/admin/api-tokens/{token.pk}/revoke/")
    assert ApiToken.objects.get().revoked_at is not None
    assert api.get("/api/v1/engagements/").status_code == 401


def test_the_form_says_what_is_wrong_and_makes_nothing(client, person, api_world):
    client.force_login(person("MCET administrators"))
    response = client.post("/admin/api-tokens/accounts/new/", {
        "username": "p-mcet", "group": Group.objects.get(name="CBSA officers").pk})  # taken by the person
    assert response.status_code == 200 and "is already taken" in response.content.decode()
    response = client.post("/admin/api-tokens/accounts/new/", {
        "username": "sys-staff", "group": Group.objects.get(name="MCET staff").pk})
    assert "Select a valid choice" in response.content.decode()  # only departments' and partners' groups
    assert not SystemAccount.objects.exists()


@pytest.mark.parametrize("group_name", ["MCET staff", "CBSA officers", "Auditors", "RWG members"])
def test_other_roles_are_refused(client, person, api_world, group_name):
    client.force_login(person(group_name))
    for response in (client.get(INDEX), client.get("/admin/api-tokens/accounts/new/")):
        assert response.status_code == 302 and "/admin/api-tokens/" not in response["Location"]
    assert INDEX not in client.get("/admin/").content.decode()


def test_the_listing_reads_a_fixed_number_of_queries(client, person, api_world, administrator):
    client.force_login(person("MCET administrators"))

    def add(n):
        for i in range(n):
            account = system_account_create(username=f"sys-{n}-{i}", group=Group.objects.get(name="GAC officers"),
                                            permissions=["push_travel_documents"], user=administrator)
            api_token_create(account=account, name="pull", user=administrator)
            api_token_create(account=account, name="push", user=administrator)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(INDEX).status_code == 200
        return len(ctx.captured_queries)

    add(1)
    small = count()
    add(6)
    assert count() == small
