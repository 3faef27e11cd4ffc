"""Travel-document cases (issue 5): a fictional extract imported against PostgreSQL's own COPY of
the same rows, the update-in-place re-import, and the six-fiscal-year monthly series of one country.

Targets: the import takes no more than 3 times the COPY of the same rows into a bare table, measured
in the same run; the monthly series is computed in SQL, its query count the same whatever the number
of cases (checked at full size and at a tenth of it).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from countries.imports import td_cases_import
from countries.models import Country, TravelDocumentCase
from countries.selectors import td_timeliness
from countries.services import country_get_or_create
from mcee.fiscal import FiscalYear

from . import Report, benchmark, timed

TARGET_RATIO = 3.0
CODES = ["XA", "XB", "XC", "XD", "XE", "XF", "XG", "XH", "XJ", "XK", "XL", "XM"]  # fictional: dev and test
FIRST_YEAR, LAST_YEAR = FiscalYear.parse("2019-20"), FiscalYear.parse("2024-25")  # six fiscal years
OUTCOMES = np.array(["issued", "pending", "refused", "withdrawn", "expired"])
OUTCOME_SHARES = [0.55, 0.2, 0.1, 0.1, 0.05]
COLUMNS = ["case_ref", "country", "requested_on", "issued_on", "outcome", "document_type", "validity_days",
           "interview_required", "priority"]
# The bare table: the extract's columns with the types of the case table (case_ref as its longest text).
BARE_TABLE = "bench_td_copy"
BARE_COLUMNS = ("case_ref varchar(100), country varchar(2), requested_on date, issued_on date, outcome varchar(10), "
                "document_type varchar(100), validity_days integer, interview_required boolean, "
                "priority varchar(50)")


def extract(rows: int, *, seed: int = 5) -> pd.DataFrame:
    """A fictional case extract of ``rows`` rows, as the strings of the CSV file."""
    rng = np.random.default_rng(seed)
    span = (LAST_YEAR.end - FIRST_YEAR.start).days + 1
    requested = np.datetime64(FIRST_YEAR.start) + rng.integers(0, span, rows).astype("timedelta64[D]")
    outcome = OUTCOMES[rng.choice(len(OUTCOMES), rows, p=OUTCOME_SHARES)]
    issued = requested + rng.integers(5, 240, rows).astype("timedelta64[D]")
    is_issued = outcome == "issued"
    return pd.DataFrame({
        "case_ref": np.char.add("BENCH-", np.char.zfill(np.arange(1, rows + 1).astype(str), 7)).astype(object),
        "country": np.array(CODES, dtype=object)[rng.integers(0, len(CODES), rows)],
        "requested_on": requested.astype(str).astype(object),
        "issued_on": np.where(is_issued, issued.astype(str), "").astype(object),
        "outcome": outcome.astype(object),
        "document_type": np.where(is_issued, rng.choice(["passport", "emergency passport", "laissez-passer"], rows),
                                  "").astype(object),
        "validity_days": np.where(is_issued, rng.choice(["30", "60", "90", "180"], rows), "").astype(object),
        "interview_required": rng.choice(np.array(["yes", "no"], dtype=object), rows),
        "priority": rng.choice(np.array(["high", "normal", "low", ""], dtype=object), rows),
    }, columns=COLUMNS)


def issue_some_pending(frame: pd.DataFrame, *, share: float = 0.1, seed: int = 6) -> tuple[pd.DataFrame, int]:
    """The same extract with ``share`` of its pending cases now issued (the update-in-place path)."""
    rng = np.random.default_rng(seed)
    frame = frame.copy()
    pending = np.flatnonzero(frame["outcome"].to_numpy() == "pending")
    chosen = np.sort(rng.choice(pending, int(len(pending) * share), replace=False))
    requested = frame["requested_on"].to_numpy()[chosen].astype("datetime64[D]")
    issued = requested + rng.integers(5, 240, len(chosen)).astype("timedelta64[D]")
    frame.loc[frame.index[chosen], "outcome"] = "issued"
    frame.loc[frame.index[chosen], "issued_on"] = issued.astype(str).astype(object)
    return frame, len(chosen)


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False)
    return path


def checkpoint() -> None:
    """Start each timed step with nothing left to flush from the one before (superuser or
    pg_checkpoint; skipped otherwise)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    except DatabaseError:
        pass


def copy_bare(path: Path, rows: int) -> float:
    """Seconds for PostgreSQL's COPY of the CSV file's rows into a bare table (no index, no
    constraint), through psycopg, reading the file as it goes; committed like the import."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BARE_TABLE}")
        cursor.execute(f"CREATE TABLE {BARE_TABLE} ({BARE_COLUMNS})")
    checkpoint()
    with (timed() as timer, transaction.atomic(), connection.cursor() as cursor, open(path, "rb") as source,
          cursor.cursor.copy(f"COPY {BARE_TABLE} FROM STDIN (FORMAT csv, HEADER true)") as copy):
        while block := source.read(1 << 20):
            copy.write(block)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {BARE_TABLE}")
        copied = cursor.fetchone()[0]
        cursor.execute(f"DROP TABLE {BARE_TABLE}")
    if copied != rows:
        raise AssertionError(f"COPY loaded {copied} rows, not {rows}")
    return timer.seconds


def monthly_series(country: Country) -> tuple[float, int, list]:
    """Seconds and queries for the country's monthly figures over the six fiscal years."""
    with timed() as timer, CaptureQueriesContext(connection) as queries:
        rows = td_timeliness(country=country, period="month", start=FIRST_YEAR.start, end=LAST_YEAR.end)
    return timer.seconds, len(queries.captured_queries), rows


@benchmark
def cases(*, rows: int, workdir: Path, report: Report, results: dict | None = None) -> bool:
    if TravelDocumentCase.objects.exists():
        raise RuntimeError("This benchmark needs a database without travel-document cases "
                           "(make bench creates a throwaway one).")
    countries = {code: country_get_or_create(code=code) for code in CODES}
    frame = extract(rows)
    path = write_csv(frame, workdir / "td-cases.csv")
    report(f"extract: {rows:,} fictional cases ({path.stat().st_size / 1e6:.1f} MB CSV), countries "
           f"{CODES[0]}..{CODES[-1]}")

    copy_seconds = copy_bare(path, rows)
    report(f"PostgreSQL COPY into a bare table:    {copy_seconds:8.2f} s")
    checkpoint()
    with timed() as first:
        result = td_cases_import(path=path)
    if (result.created, result.updated, result.unchanged) != (rows, 0, 0):
        raise AssertionError(f"first import: {result.counts()}")
    ratio = first.seconds / copy_seconds
    met = ratio <= TARGET_RATIO
    report(f"td_cases_import into empty tables:    {first.seconds:8.2f} s  ({result.created:,} created)")
    report(f"ratio import / COPY:                  {ratio:8.2f} x  (target <= {TARGET_RATIO:g} x) "
           f"{'PASS' if met else 'FAIL'}")

    changed_frame, changed = issue_some_pending(frame)
    changed_path = write_csv(changed_frame, workdir / "td-cases-updated.csv")
    checkpoint()
    with timed() as second:
        result = td_cases_import(path=changed_path)
    if (result.created, result.updated, result.unchanged) != (0, changed, rows - changed):
        raise AssertionError(f"re-import: {result.counts()}, expected {changed} updated")
    report(f"{f're-import, {changed:,} now issued:':37} {second.seconds:8.2f} s  "
           f"({result.updated:,} updated, {result.unchanged:,} unchanged; informational)")

    with connection.cursor() as cursor:  # as autovacuum soon does after a load
        cursor.execute(f"ANALYZE {TravelDocumentCase._meta.db_table}")
    country = countries["XA"]
    in_country = TravelDocumentCase.objects.filter(country=country).count()
    seconds, queries, series = monthly_series(country)
    months = len(series)
    report(f"monthly series, XA, {FIRST_YEAR}..{LAST_YEAR} ({months} months, {in_country:,} cases): "
           f"{seconds:.3f} s, {queries} queries")
    with connection.cursor() as cursor:  # a tenth of the cases (the grant tables are empty here)
        cursor.execute(f"DELETE FROM {TravelDocumentCase._meta.db_table} WHERE id % 10 <> 0")
        cursor.execute(f"ANALYZE {TravelDocumentCase._meta.db_table}")
    fewer = TravelDocumentCase.objects.filter(country=country).count()
    small_seconds, small_queries, small_series = monthly_series(country)
    report(f"monthly series at a tenth ({fewer:,} cases): {small_seconds:.3f} s, {small_queries} queries")
    requested = sum(row.requested or 0 for row in series), sum(row.requested or 0 for row in small_series)
    same_count = queries == small_queries and months == len(small_series) == 72 and requested[1] < requested[0]
    report(f"query count independent of the number of cases: {'PASS' if same_count else 'FAIL'} "
           f"({queries} and {small_queries} queries; {requested[0]:,} and {requested[1]:,} requests counted)")
    if results is not None:
        results["import"] = {"rows": rows, "copy_seconds": round(copy_seconds, 2),
                             "import_seconds": round(first.seconds, 2), "import_vs_copy_ratio": round(ratio, 2),
                             "target_ratio": TARGET_RATIO, "met": met, "reimport_seconds": round(second.seconds, 2),
                             "monthly_series_queries": [queries, small_queries], "queries_equal": same_count}
    return met and same_count
