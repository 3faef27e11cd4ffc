"""``python -m tests.benchmarks.load --users 50 --seconds 60 --port 8300`` (run by `make load-test` with the
production profile's environment): accounts for the simulated users, then gunicorn (two workers) and an
RQ worker started here, locust headless against them on loopback for a bounded time, everything stopped,
and the figures written under ``load_test`` in bench/results.json (and bench/results.md).

Each simulated user has an account of its own (readers: MCET staff signing in with a password; officers:
a CBSA system account's token), so honest traffic never meets django-axes' lock (5 failed sign-ins of
one username) or the API's per-token rate (MCEE_API_RATE, set to 600/minute for the run by the Makefile).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def make_accounts(users: int) -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from countries.models import Country
    from mcee.api.tokens import api_token_create, system_account_create
    from mcee.models import SystemAccount
    from mcee.roles import STANDING_ROLES

    staff = Group.objects.get(name=next(r.group_name for r in STANDING_ROLES if r.code == "mcet_staff"))
    cbsa = Group.objects.get(name=next(r.group_name for r in STANDING_ROLES if r.code == "officer_cbsa"))
    readers, officers = [], []
    for n in range(1, users + 1):
        username = f"load-reader-{n:02d}"
        password = secrets.token_urlsafe(16)
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.set_password(password)
        user.save()
        user.groups.add(staff)
        readers.append({"username": username, "password": password})
        account_name = f"load-officer-{n:02d}"
        account = SystemAccount.objects.filter(user__username=account_name).first() or system_account_create(
            username=account_name, group=cbsa, description="Load test")
        officers.append({"token": api_token_create(account=account, name=f"load test {time.time():.0f}").secret})
    countries = list(Country.objects.order_by("code").values_list("code", flat=True)[:20])
    return {"readers": readers, "officers": officers, "countries": countries}


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (loopback)
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def summary(stats_csv: Path, *, users: int, seconds: int, workers: int) -> dict:
    rows = list(csv.DictReader(stats_csv.open()))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    requests, failures = int(total["Request Count"]), int(total["Failure Count"])
    return {
        "users": users, "seconds": seconds, "workers": workers, "requests": requests, "errors": failures,
        "requests_per_second": round(float(total["Requests/s"]), 1), "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]), "p99_ms": float(total["99%"]), "max_ms": float(total["Max Response Time"]),
        "met": failures == 0 and requests > 0,
        "by_request": [{"name": f"{row['Type']} {row['Name']}", "requests": int(row["Request Count"]),
                        "errors": int(row["Failure Count"]), "p50_ms": float(row["50%"]),
                        "p95_ms": float(row["95%"])} for row in rows if row["Name"] != "Aggregated"],
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8300)
    options = parser.parse_args(argv)
    if os.environ.get("DJANGO_SETTINGS_MODULE") != "mcee.settings.production":
        print("Run through `make load-test`: it sets the production profile's environment.", file=sys.stderr)
        return 2
    host = f"http://127.0.0.1:{options.port}"
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{options.port}", "WEB_CONCURRENCY": "2"}
    with tempfile.TemporaryDirectory(prefix="mcee-load-") as folder:
        users_file = Path(folder) / "users.json"
        users_file.write_text(json.dumps(make_accounts(options.users)))
        server = subprocess.Popen([BIN / "gunicorn", "-c", "gunicorn.conf.py"], cwd=ROOT, env=env)
        worker = subprocess.Popen([BIN / "python", "manage.py", "rqworker", "default"], cwd=ROOT, env=env)
        try:
            wait_for(f"{host}/en/")
            subprocess.run([BIN / "locust", "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
                            "--users", str(options.users), "--spawn-rate", "10", "--run-time", f"{options.seconds}s",
                            "--host", host, "--csv", str(Path(folder) / "load"), "--only-summary",
                            "--stop-timeout", "10"],
                           cwd=ROOT, env={**env, "LOAD_USERS_FILE": str(users_file)}, check=False)
            figures = summary(Path(folder) / "load_stats.csv", users=options.users, seconds=options.seconds,
                              workers=2)
        finally:
            for process in (server, worker):
                process.terminate()
            for process in (server, worker):
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
    from . import results as results_file

    results = results_file.load()
    results["load_test"] = figures
    if "targets_met" in results:
        results["targets_met"] = results["targets_met"] and figures["met"]
    results_file.save(results)
    print(json.dumps({k: v for k, v in figures.items() if k != "by_request"}, indent=2))
    return 0 if figures["met"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
