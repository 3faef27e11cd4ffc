import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_by_default():
    """Every test starts in English; a test that wants French says so."""
    with translation.override("en"):
        yield


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root-test", "root@example.invalid", "not-a-real-password-1")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client
