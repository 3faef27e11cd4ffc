"""The load test's users (locust; run by ``python -m tests.benchmarks.load``, i.e. `make load-test`).

Two kinds, weighted 3 to 1: readers browsing the reader pages, admin listings and reports as MCET staff
(signed in once through the admin's sign-in form), and department officers logging engagements through
the API with their system account's token. Credentials come from the file that ``load`` wrote
(LOAD_USERS_FILE): one account per simulated user, so no username meets django-axes' five-failure lock
and no token meets the API rate limit with honest traffic.
"""

import itertools
import json
import os
import random
import re
import threading

from locust import HttpUser, between, task

_credentials = json.loads(open(os.environ["LOAD_USERS_FILE"]).read())  # noqa: SIM115
_lock = threading.Lock()
_readers = itertools.cycle(_credentials["readers"])
_officers = itertools.cycle(_credentials["officers"])
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
READER_PAGES = ["/en/", "/fr/", "/admin/", "/admin/snippets/projects/project/",
                "/admin/snippets/engagements/engagement/",
                "/admin/snippets/countries/country/", "/admin/snippets/countries/traveldocumentcase/",
                "/admin/snippets/engagements/followup/", "/admin/mcee-reports/engagement-leverage/",
                "/admin/mcee-reports/funding-by-category/"]


class Reader(HttpUser):
    weight = 3
    wait_time = between(1, 3)

    def on_start(self):
        with _lock:
            account = next(_readers)
        page = self.client.get("/admin/login/", name="/admin/login/ (form)")
        token = CSRF.search(page.text)
        self.client.post("/admin/login/", name="/admin/login/ (sign in)", data={
            "username": account["username"], "password": account["password"],
            "csrfmiddlewaretoken": token.group(1) if token else "", "next": "/admin/"},
            headers={"Referer": f"{self.host}/admin/login/"})

    @task
    def browse(self):
        self.client.get(random.choice(READER_PAGES))


class Officer(HttpUser):
    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        with _lock:
            account = next(_officers)
        self.client.headers["Authorization"] = f"Bearer {account['token']}"
        self.countries = _credentials["countries"]

    @task(3)
    def list_engagements(self):
        self.client.get("/api/v1/engagements/", name="/api/v1/engagements/")

    @task(1)
    def log_engagement(self):
        self.client.post("/api/v1/engagements/", name="/api/v1/engagements/ (log)", json={
            "country": random.choice(self.countries), "date": "2025-02-14", "status": "held",
            "kind": "ottawa_bilateral", "level": "director", "lead_department": "cbsa",
            "counterpart_title": "Director", "no_project_leveraged": True,
            "summary": "Load test: fictional engagement."})
