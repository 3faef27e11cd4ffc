"""Importing a file from the admin: upload, queue, the background worker, progress, refusals, access.

The queued path is the real one: the form enqueues on the "imports" database queue and the test
runs `manage.py db_worker --backend imports --batch`, which takes the task from the database.
"""

import csv
import json
import signal
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks import task_backends
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db.models import DBTaskResult
from wagtail.users.models import UserProfile

from countries.imports import IMPORT_KIND as ASYLUM_KIND
from countries.imports import TD_CASES_KIND, TD_MONTHLY_KIND
from countries.models import AsylumStatistic, TravelDocumentCase
from engagements.imports import IMPORT_KIND as ENGAGEMENTS_KIND
from mcee import import_kinds, tasks
from mcee.import_runs import import_run, queued_run
from mcee.models import ImportRun
from mcee.roles import STANDING_ROLES, sync_role_group
from projects.imports import IMPORT_KIND as PORTFOLIO_KIND
from projects.models import Project
from tests.factories import CountryFactory

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
CASE_HEADER = ["case_ref", "country", "requested_on", "issued_on", "outcome", "document_type", "validity_days",
               "interview_required", "priority"]
CASES = [
    CASE_HEADER,
    ["CASE-0001", "XA", "2024-03-04", "2024-04-15", "issued", "passport", "30", "yes", "high"],
    ["CASE-0002", "XA", "2024-04-01", "", "pending", "", "", "no", "normal"],
    ["CASE-0003", "XB", "2024-05-10", "", "refused", "", "", "", ""],
]
NEW_URL = "/admin/mcee-imports/new/"


def csv_bytes(rows, encoding="utf-8") -> bytes:
    return "".join(",".join(row) + "\n" for row in rows).encode(encoding)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def bad_cases():
    rows = [list(row) for row in CASES]
    rows[1][2] = "04/03/2024"  # requested_on
    rows[3][1] = "FR"  # a country the MCEE does not record
    return rows


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []  # two-factor has its own tests
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture(autouse=True)
def countries(db):
    return [CountryFactory(code=code) for code in ("XA", "XB")]


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def role_user(django_user_model):
    def make(code, username=None):
        user = django_user_model.objects.create_user(username or f"u-{code}", password="x-not-used-0123")
        role = next(r for r in STANDING_ROLES if r.code == code)
        sync_role_group(role, Group, Permission)
        user.groups.add(Group.objects.get(name=role.group_name))
        return user
    return make


@pytest.fixture
def staff(role_user, client):
    user = role_user("mcet_staff")
    client.force_login(user)
    return user


@pytest.fixture
def td_clerk(django_user_model):
    """May import travel-document cases, but not see import runs: sees only their own."""
    group = Group.objects.create(name="TD clerks (test)")
    group.permissions.set(Permission.objects.filter(
        content_type__app_label="countries", codename__in=["add_traveldocumentcase", "change_traveldocumentcase",
                                                           "view_traveldocumentcase"]) | Permission.objects.filter(
        codename="access_admin"))
    user = django_user_model.objects.create_user("td-clerk", password="x-not-used-0123")
    user.groups.add(group)
    return user


@pytest.fixture
def run_worker(monkeypatch):
    """`manage.py db_worker --backend imports --batch`: runs what is queued, then exits.

    Two things the worker does for a long-lived process are kept out of the test's transaction:
    closing "old" connections after each task (it would close the test's own), and, on SQLite,
    opening its claim with a raw BEGIN EXCLUSIVE (SQLite cannot nest it; a savepoint stands in).
    Its signal handlers are put back afterwards.
    """
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    if connection.vendor == "sqlite":
        monkeypatch.setattr(db_worker, "exclusive_transaction", lambda using=None: transaction.atomic(using=using))

    def run():
        saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
        try:
            call_command("db_worker", "--backend", "imports", "--batch", "--no-startup-delay", "--no-reload",
                         verbosity=0)
        finally:
            for sig, handler in saved.items():
                signal.signal(sig, handler)
    return run


@pytest.fixture
def spy_progress(monkeypatch):
    """Every set of figures the task wrote to the run row while the import ran."""
    written = []
    original = tasks.ProgressRecorder.flush

    def flush(self):
        if self._pending is not None:
            written.append(self._pending)
        original(self)

    monkeypatch.setattr(tasks.ProgressRecorder, "flush", flush)
    monkeypatch.setattr(tasks.ProgressRecorder, "__init__", _no_throttle(tasks.ProgressRecorder.__init__))
    return written


def _no_throttle(init):
    def wrapped(self, run, **kwargs):
        init(self, run, **{**kwargs, "min_interval": 0})
    return wrapped


def post_file(client, kind, name, content, encoding="", follow=False):
    return client.post(NEW_URL, {"kind": kind, "file": upload(name, content), "encoding": encoding}, follow=follow)


# --- the registry --------------------------------------------------------------------------------------

def test_each_kind_is_the_run_kind_its_import_records():
    kinds = import_kinds.registered_kinds()
    assert set(kinds) == {PORTFOLIO_KIND, ASYLUM_KIND, TD_CASES_KIND, TD_MONTHLY_KIND, ENGAGEMENTS_KIND}
    for kind in kinds.values():
        assert callable(kind.load())
    assert kinds[PORTFOLIO_KIND].extensions == (".xlsx",) and kinds[PORTFOLIO_KIND].accepts_folder
    assert kinds[TD_CASES_KIND].reports_progress and not kinds[ASYLUM_KIND].reports_progress


def test_only_mcet_may_import(role_user):
    assert {k.slug for k in import_kinds.kinds_for(role_user("mcet_staff"))} == set(import_kinds.registered_kinds())
    assert {k.slug for k in import_kinds.kinds_for(role_user("mcet_admin"))} == set(import_kinds.registered_kinds())
    for code in ("rwg_member", "auditor", "officer_cbsa"):
        assert import_kinds.kinds_for(role_user(code)) == [], code


def test_wagtail_keeps_its_immediate_backend_and_imports_go_to_the_database_queue():
    assert isinstance(task_backends["default"], ImmediateBackend)
    assert tasks.run_queued_import.backend == "imports"
    assert type(task_backends["imports"]).__name__ == "DatabaseBackend"


# --- upload, queue, worker -------------------------------------------------------------------------------

def test_upload_is_queued_then_the_worker_imports_it_into_the_same_run(client, staff, run_worker, spy_progress,
                                                                        private_root):
    response = post_file(client, TD_CASES_KIND, "td-cases.csv", csv_bytes(CASES))
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("mcee_import_progress", args=[run.pk])
    assert (run.status, run.source, run.user, run.kind, run.file_name) == (
        "queued", "admin", staff, TD_CASES_KIND, "td-cases.csv")
    assert run.options == {"encoding": "", "language": "en"}
    stored = Path(run.stored_file.path)
    assert stored.read_bytes() == csv_bytes(CASES) and stored.name == "td-cases.csv"
    assert private_root in stored.parents  # outside MEDIA_ROOT: never served
    with pytest.raises(ValueError):
        run.stored_file.url  # noqa: B018 (a private file has no address)
    assert DBTaskResult.objects.filter(backend_name="imports", status="READY").count() == 1

    page = client.get(response["Location"]).content.decode()
    assert "Waiting to start" in page and "background worker" in page
    assert "mcee/import_progress.js" in page and 'aria-live="polite"' in page and "<noscript>" in page

    run_worker()

    run.refresh_from_db()
    assert ImportRun.objects.count() == 1  # the queued run is THE record of the import
    assert (run.status, run.rows_read, run.rows_checked, run.rows_written) == ("succeeded", 3, 3, 3)
    assert run.counts == {"created": 3, "updated": 0, "unchanged": 0}
    assert run.finished_at is not None and run.errors == []
    assert TravelDocumentCase.objects.count() == 3
    assert spy_progress[0] == (3, 0, 0) and spy_progress[-1] == (3, 3, 3)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    # Case references are never stored: once imported, the uploaded file goes; the run keeps name and checksum.
    assert not stored.exists() and not run.stored_file and len(run.checksum) == 64

    page = client.get(reverse("mcee_import_progress", args=[run.pk])).content.decode()
    assert "Imported: 3 rows read, 3 checked, 3 written." in page
    assert "What the import did" in page and "<td>3</td>" in page
    assert "mcee/import_progress.js" not in page and "<noscript>" not in page


def test_a_refused_file_lists_every_problem_and_writes_nothing(client, staff, run_worker):
    post_file(client, TD_CASES_KIND, "td-cases.csv", csv_bytes(bad_cases()))
    run_worker()
    run = ImportRun.objects.get()
    assert run.status == "rejected"
    assert TravelDocumentCase.objects.count() == 0
    assert not run.stored_file  # refused or not, a file of case references is not kept
    page = client.get(reverse("mcee_import_progress", args=[run.pk])).content.decode()
    assert "Refused: the file has 2 problems; nothing was written." in page
    assert "Problems found in the file" in page
    assert "&#x27;04/03/2024&#x27; is not a date; write it as YYYY-MM-DD" in page
    assert "<td>2</td>" in page and "<td>requested_on</td>" in page
    assert "&#x27;FR&#x27; is not a country recorded in the MCEE" in page
    assert "<td>4</td>" in page and "<td>country</td>" in page


def test_an_import_without_progress_and_one_of_several_sheets(client, staff, run_worker):
    post_file(client, ASYLUM_KIND, "asylum.csv", (EXAMPLES / "asylum.csv").read_bytes())
    portfolio = (EXAMPLES / "portfolio.xlsx").read_bytes()
    post_file(client, PORTFOLIO_KIND, "portfolio.xlsx", portfolio)
    queued = client.get(reverse("mcee_import_progress", args=[ImportRun.objects.get(kind=ASYLUM_KIND).pk]))
    assert "Waiting to start" in queued.content.decode()
    run_worker()
    asylum, portfolio_run = ImportRun.objects.get(kind=ASYLUM_KIND), ImportRun.objects.get(kind=PORTFOLIO_KIND)
    assert (asylum.status, portfolio_run.status) == ("succeeded", "succeeded")
    assert AsylumStatistic.objects.exists() and Project.objects.count() == 4
    for run in (asylum, portfolio_run):  # kept for the audit (docs/operations.md)
        assert Path(run.stored_file.path).is_file()
    page = client.get(reverse("mcee_import_progress", args=[portfolio_run.pk])).content.decode()
    assert '<th scope="row">projects</th>' in page and "Removed" in page


def test_a_declared_encoding_is_used(client, staff, run_worker):
    rows = [list(row) for row in CASES]
    rows[1][5] = "émis"
    post_file(client, TD_CASES_KIND, "td.csv", csv_bytes(rows, "cp1252"), encoding="utf-8")
    run_worker()
    run = ImportRun.objects.get()
    assert run.status == "rejected" and "not valid utf-8" in run.errors[0]["reason"]
    post_file(client, TD_CASES_KIND, "td.csv", csv_bytes(rows, "cp1252"), encoding="cp1252")
    run_worker()
    assert ImportRun.objects.order_by("-pk").first().status == "succeeded"


def test_a_fault_is_recorded_as_a_failure(client, staff, run_worker, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk on fire")
    monkeypatch.setattr(import_kinds.ImportKind, "load", lambda self: broken)
    post_file(client, TD_CASES_KIND, "td.csv", csv_bytes(CASES))
    run_worker()
    run = ImportRun.objects.get()
    assert run.status == "failed" and run.errors == [{"reason": "RuntimeError: disk on fire"}]
    assert DBTaskResult.objects.get().status == "FAILED"
    page = client.get(reverse("mcee_import_progress", args=[run.pk])).content.decode()
    assert "Failed: the import stopped because of a fault in the system" in page


def test_a_run_is_imported_once_even_if_its_task_comes_twice(client, staff, run_worker):
    post_file(client, TD_CASES_KIND, "td.csv", csv_bytes(CASES))
    run_worker()
    run = ImportRun.objects.get()
    assert tasks.run_queued_import.call(run.pk) == "succeeded"
    assert ImportRun.objects.count() == 1 and TravelDocumentCase.objects.count() == 3


def test_import_run_records_into_the_queued_run_of_its_kind(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"a\n1\n")
    run = ImportRun.objects.create(kind=TD_MONTHLY_KIND, file_name="x.csv", checksum="", source="admin",
                                   status=ImportRun.Status.QUEUED)
    with queued_run(run), import_run(kind=TD_MONTHLY_KIND, path=path) as recorded:
        assert recorded is run and run.status == "running"
    with queued_run(run), pytest.raises(ValueError), import_run(kind=TD_CASES_KIND, path=path):
        pass
    with import_run(kind=TD_MONTHLY_KIND, path=path) as other:  # outside the block: a run of its own
        assert other.pk != run.pk
    run.refresh_from_db()
    assert run.status == "succeeded" and len(run.checksum) == 64


# --- refusals before anything is stored ----------------------------------------------------------------

def test_a_file_of_the_wrong_type_is_refused(client, staff, private_root):
    response = post_file(client, PORTFOLIO_KIND, "portfolio.csv", b"acronym\nTPA\n")
    assert response.status_code == 200
    page = response.content.decode()
    assert "is not a file this import takes: choose a file ending in .xlsx." in page
    # The error is tied to its input, with the help text: read out together with the label.
    assert 'aria-describedby="id_file-errors id_file-helptext"' in page and 'id="id_file-errors"' in page
    assert 'aria-invalid="true"' in page
    response = post_file(client, TD_CASES_KIND, "cases.txt", csv_bytes(CASES))
    assert "choose a file ending in .csv, .xlsx." in response.content.decode()
    assert not ImportRun.objects.exists() and stored_files(private_root) == []
    assert not DBTaskResult.objects.exists()


def test_a_file_too_large_is_refused(client, staff, private_root, settings):
    settings.MCEE_IMPORT_MAX_BYTES = 100
    response = post_file(client, TD_CASES_KIND, "td.csv", csv_bytes(CASES))
    page = response.content.decode()
    assert "the admin takes files of at most 100" in page and "with the command" in page
    assert not ImportRun.objects.exists() and stored_files(private_root) == []


def test_a_file_already_imported_is_recognised_whatever_imported_it(client, staff, tmp_path, run_worker):
    path = tmp_path / "td.csv"
    path.write_bytes(csv_bytes(CASES))
    call_command("import_td", str(path), "--kind", "cases")  # by the command
    response = post_file(client, TD_CASES_KIND, "td.csv", csv_bytes(CASES), follow=True)
    page = response.content.decode()
    assert "This file was already imported on" in page
    assert "importing it again changes only what was edited since." in page
    run_worker()  # still allowed: it changes nothing
    latest = ImportRun.objects.order_by("-pk").first()
    assert (latest.status, latest.counts) == ("succeeded", {"created": 0, "updated": 0, "unchanged": 3})


# --- who may do what -----------------------------------------------------------------------------------

@pytest.mark.parametrize("code", ["rwg_member", "auditor", "officer_cbsa"])
def test_a_role_that_may_not_import_is_refused(client, role_user, code, private_root):
    client.force_login(role_user(code))
    for response in (client.get(NEW_URL), post_file(client, TD_CASES_KIND, "td.csv", csv_bytes(CASES))):
        # Wagtail answers a refusal with its permission-denied redirect to the dashboard.
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert not ImportRun.objects.exists() and stored_files(private_root) == []
    assert NEW_URL not in client.get("/admin/").content.decode()


def test_the_menu_offers_the_import_to_mcet(client, staff):
    assert NEW_URL in client.get("/admin/").content.decode()
    page = client.get(NEW_URL).content.decode()
    for title in ("Portfolio workbook", "Asylum statistics", "Travel-document cases (CBSA extract)"):
        assert title in page
    assert 'enctype="multipart/form-data"' in page and 'for="id_file"' in page and 'for="id_encoding"' in page
    assert '<option value="" selected>Choose one</option>' in page  # no kind chosen in advance
    assert "Portfolio workbook: the XLSX workbook only" in page


def test_a_kind_must_be_chosen(client, staff):
    response = client.post(NEW_URL, {"kind": "", "file": upload("td.csv", csv_bytes(CASES))})
    assert 'id="id_kind-errors"' in response.content.decode() and not ImportRun.objects.exists()


def test_a_run_is_seen_by_its_uploader_and_those_who_see_every_run(client, staff, td_clerk, role_user,
                                                                    django_user_model):
    post_file(client, TD_CASES_KIND, "staff.csv", csv_bytes(CASES))
    staff_run = ImportRun.objects.get()
    client.force_login(td_clerk)
    assert [k.slug for k in import_kinds.kinds_for(td_clerk)] == [TD_CASES_KIND]
    post_file(client, TD_CASES_KIND, "clerk.csv", csv_bytes(CASES))
    clerk_run = ImportRun.objects.get(user=td_clerk)
    for name in ("mcee_import_progress", "mcee_import_status"):
        assert client.get(reverse(name, args=[clerk_run.pk])).status_code == 200
        assert client.get(reverse(name, args=[staff_run.pk])).status_code == 404  # not theirs
        assert client.get(reverse(name, args=[999999])).status_code == 404
    page = client.get(NEW_URL).content.decode()
    assert "clerk.csv" in page and "staff.csv" not in page  # their latest imports only
    client.force_login(role_user("auditor"))  # reads every import run
    assert client.get(reverse("mcee_import_progress", args=[clerk_run.pk])).status_code == 200
    client.force_login(role_user("officer_cbsa"))
    assert client.get(reverse("mcee_import_progress", args=[clerk_run.pk])).status_code == 404
    client.logout()
    response = client.get(reverse("mcee_import_status", args=[clerk_run.pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- the status endpoint, French, queries --------------------------------------------------------------

def test_the_status_endpoint(client, staff, run_worker):
    post_file(client, TD_CASES_KIND, "td.csv", csv_bytes(CASES))
    run = ImportRun.objects.get()
    url = reverse("mcee_import_status", args=[run.pk])
    data = client.get(url).json()
    assert data == {"status": "queued", "status_label": "Waiting to start", "finished": False, "rows_read": 0,
                    "rows_checked": 0, "rows_written": 0,
                    "figures": {"rows_read": "0", "rows_checked": "0", "rows_written": "0"},
                    "message": "Waiting to start: the file is in the queue of background imports."}
    ImportRun.objects.filter(pk=run.pk).update(status="running", rows_read=12345, rows_checked=2000)
    response = client.get(url)
    assert "no-store" in response["Cache-Control"]  # the admin's own never_cache
    assert response.json()["message"] == "Importing: 12,345 rows read, 2,000 checked, 0 written."
    ImportRun.objects.filter(pk=run.pk).update(status="queued", rows_read=0, rows_checked=0)
    run_worker()
    assert json.loads(client.get(url).content)["finished"] is True


def test_the_pages_in_french_for_a_user_who_prefers_french(client, staff, run_worker):
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = "fr"
    profile.save()
    page = client.get(NEW_URL).content.decode()
    assert 'lang="fr"' in page and "PROTÉGÉ B" in page and "PROTECTED B" not in page
    post_file(client, TD_CASES_KIND, "td.csv", csv_bytes(bad_cases()))
    run = ImportRun.objects.get()
    assert run.options["language"] == "fr"
    run_worker()
    run.refresh_from_db()
    # The problems are recorded in the language of the person who uploaded the file.
    assert "n’est pas une date" in run.errors[0]["reason"]
    page = client.get(reverse("mcee_import_progress", args=[run.pk])).content.decode()
    assert 'lang="fr"' in page and "PROTÉGÉ B" in page
    assert "n’est pas une date" in page


def test_every_page_carries_the_security_marking(client, staff):
    post_file(client, TD_CASES_KIND, "td.csv", csv_bytes(CASES))
    run = ImportRun.objects.get()
    for url in (NEW_URL, reverse("mcee_import_progress", args=[run.pk])):
        assert "PROTECTED B" in client.get(url).content.decode()


def test_the_progress_page_queries_do_not_grow_with_the_problems(client, staff, django_assert_max_num_queries):
    post_file(client, TD_CASES_KIND, "td.csv", csv_bytes(CASES))
    run = ImportRun.objects.get()
    url = reverse("mcee_import_progress", args=[run.pk])
    for count in (1, 800):
        errors = [{"sheet": "td", "row": n + 2, "column": "country", "reason": "bad"} for n in range(count)]
        ImportRun.objects.filter(pk=run.pk).update(status="rejected", errors=errors)
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200
        with django_assert_max_num_queries(12):
            assert client.get(reverse("mcee_import_status", args=[run.pk])).status_code == 200


def test_only_the_first_thousand_problems_are_listed(client, staff):
    post_file(client, TD_CASES_KIND, "td.csv", csv_bytes(CASES))
    run = ImportRun.objects.get()
    errors = [{"sheet": "td", "row": n + 2, "column": "country", "reason": f"bad-{n}"} for n in range(1200)]
    ImportRun.objects.filter(pk=run.pk).update(status="rejected", errors=errors)
    page = client.get(reverse("mcee_import_progress", args=[run.pk])).content.decode()
    assert "bad-999<" in page and "bad-1000<" not in page
    assert "The first 1,000 of 1,200 problems are listed" in page


# --- progress while the import's transaction is open (PostgreSQL) -------------------------------------

@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_progress_is_visible_before_the_import_commits_and_survives_its_rollback():
    if connection.vendor != "postgresql":
        pytest.skip("On SQLite progress of the write phase appears when it ends (one writer at a time).")
    run = ImportRun.objects.create(kind=TD_CASES_KIND, file_name="x.csv", checksum="0" * 64, source="admin",
                                   status=ImportRun.Status.RUNNING)
    recorder = tasks.ProgressRecorder(run, min_interval=0)
    observer = connections.create_connection("default")
    try:
        with transaction.atomic():
            recorder(10, 10, 4)
            with observer.cursor() as cursor:
                cursor.execute("SELECT rows_read, rows_checked, rows_written FROM mcee_importrun WHERE id = %s",
                               [run.pk])
                assert cursor.fetchone() == (10, 10, 4)  # seen from elsewhere while the transaction is open
            transaction.set_rollback(True)  # the import is refused: its data roll back
        run.refresh_from_db()
        assert (run.rows_read, run.rows_checked, run.rows_written) == (10, 10, 4)
    finally:
        recorder.close()
        observer.close()


def test_inside_the_import_transaction_progress_never_goes_through_the_import_connection():
    """The import's connection may be in the middle of a COPY: on PostgreSQL progress goes aside, or
    waits (here the run, created in the test's transaction, is seen by no other connection)."""
    run = ImportRun.objects.create(kind=TD_CASES_KIND, file_name="x.csv", checksum="0" * 64, source="admin",
                                   status=ImportRun.Status.RUNNING)
    recorder = tasks.ProgressRecorder(run, min_interval=0)
    try:
        with CaptureQueriesContext(connection) as queries, transaction.atomic():
            recorder(5, 5, 1)
        touched = [q["sql"] for q in queries if "mcee_importrun" in q["sql"]]
        run.refresh_from_db()
        if connection.vendor == "postgresql":
            assert touched == [] and run.rows_read == 0
        else:  # SQLite: one connection, no COPY
            assert len(touched) == 1 and run.rows_read == 5
        recorder(5, 5, 3)  # outside the import's transaction again: written at once
        run.refresh_from_db()
        assert (run.rows_read, run.rows_checked, run.rows_written) == (5, 5, 3)
    finally:
        recorder.close()


# --- the command prints progress too -----------------------------------------------------------------

def test_the_command_prints_progress_for_a_large_file_or_when_asked(tmp_path, capsys, monkeypatch):
    from countries.management.commands import import_td

    path = tmp_path / "td.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(CASES)
    call_command("import_td", str(path), "--kind", "cases")
    assert "Rows read" not in capsys.readouterr().err  # a small file: the summary is enough
    call_command("import_td", str(path), "--kind", "cases", verbosity=2)
    err = capsys.readouterr().err
    assert "Rows read: 3, checked: 0, written: 0" in err and "Rows read: 3, checked: 3, written: 0" in err
    monkeypatch.setattr(import_td, "LARGE_FILE_BYTES", 10)
    monkeypatch.setattr(import_td, "PROGRESS_INTERVAL", 3600)
    call_command("import_td", str(path), "--kind", "cases")
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.startswith("Rows read")]
    assert lines == ["Rows read: 3, checked: 0, written: 0", "Rows read: 3, checked: 3, written: 0"]  # first, last
    assert "Rows read" not in captured.out  # the summary stays alone on standard output


def test_a_file_that_only_looks_like_a_workbook_is_refused_by_the_import(client, staff, run_worker):
    post_file(client, PORTFOLIO_KIND, "portfolio.xlsx", b"not a zip at all")
    run_worker()
    run = ImportRun.objects.get()
    assert run.status == "rejected"
    page = client.get(reverse("mcee_import_progress", args=[run.pk])).content.decode()
    assert "The file cannot be read as an XLSX workbook." in page and "<td>—</td>" in page


def test_the_import_runs_listing_shows_an_admin_run_without_an_address_for_its_file(client, staff):
    post_file(client, ASYLUM_KIND, "asylum.csv", (EXAMPLES / "asylum.csv").read_bytes())
    run = ImportRun.objects.get()
    listing = client.get(reverse("import_runs:index") + "?status=queued").content.decode()
    assert "asylum.csv" in listing and "Waiting to start" in listing
    page = client.get(reverse("import_runs:inspect", args=[run.pk])).content.decode()
    assert run.stored_file.name in page and "/media/" not in page
