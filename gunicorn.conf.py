"""gunicorn settings of the production profile (docs/deployment.md); each from the environment.

Every app server is stateless (sessions, cache and tasks are in Redis and PostgreSQL), so run as many
as the load needs behind the load balancer, each with ``WEB_CONCURRENCY`` workers.
"""

import os

wsgi_app = "mcee.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two to four workers per core; the views are database-bound, so threads add little.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# Long enough for the largest admin upload (imports themselves run in the task worker).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Restart each worker after this many requests (and a random few more), so slow leaks cannot build up.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Each worker loads the application itself: no database connection or Redis socket is shared across a fork.
preload_app = False
# The load balancer's address(es), whose X-Forwarded-* headers are trusted.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
