"""The production profile keeps no state in the app servers: cache, sessions and the import queue are
shared (Redis, PostgreSQL), so any number of app servers can run behind a load balancer."""

import importlib
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured


@pytest.fixture
def production_env(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("MCEE_CASE_REF_KEY", "k" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "mcee.example")
    monkeypatch.setenv("REDIS_URL", "redis://redis.internal:6379/2")
    for name in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def load():
    return importlib.reload(importlib.import_module("mcee.settings.production"))


def test_cache_sessions_and_the_import_queue_live_in_redis(production_env):
    production = load()
    assert production.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert production.CACHES["default"]["LOCATION"] == "redis://redis.internal:6379/2"
    assert production.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    assert production.TASKS["imports"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert production.RQ_QUEUES["default"]["URL"] == "redis://redis.internal:6379/2"
    assert "django_rq" in production.INSTALLED_APPS
    assert production.STORAGES["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE


def test_development_keeps_the_database_queue_and_needs_no_redis():
    base = importlib.import_module("mcee.settings.base")
    assert base.TASKS["imports"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def test_production_refuses_to_start_without_redis(production_env):
    production_env.delenv("REDIS_URL")
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        load()


def test_gunicorn_runs_the_wsgi_application_with_workers_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_ACCESS_LOG", "")
    namespace = {}
    path = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
    exec(compile(path.read_text(), str(path), "exec"), namespace)  # noqa: S102 (our own configuration file)
    assert namespace["wsgi_app"] == "mcee.wsgi:application"
    assert namespace["workers"] == 3 and namespace["accesslog"] is None
