"""The benchmarks run (at a tiny size: their timings mean nothing here) and say what they measured.
`make bench` runs them at full size on a throwaway database."""

import pytest
from django.db import connection

from tests import benchmarks
from tests.benchmarks import td


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmarks measure PostgreSQL (its COPY)")
def test_the_travel_document_benchmark_runs_and_reports_each_figure(tmp_path):
    lines = []
    passed = benchmarks.run(rows=2000, workdir=tmp_path, report=lines.append, only=["td.cases"])
    text = "\n".join(lines)
    for expected in ("== td.cases (2,000 rows)", "PostgreSQL COPY into a bare table:",
                     "td_cases_import into empty tables:", "ratio import / COPY:", "re-import, ",
                     "monthly series, XA, 2019-20..2024-25 (72 months", "monthly series at a tenth",
                     "query count independent of the number of cases: PASS"):
        assert expected in text, text
    assert lines[-1] == f"== td.cases: {'PASS' if passed else 'FAIL'}"


def test_the_extract_is_fictional_and_the_update_issues_a_tenth_of_the_pending_cases():
    frame = td.extract(5000)
    assert set(frame["country"]) <= set(td.CODES) and frame["case_ref"].is_unique
    assert (frame.loc[frame["outcome"] == "issued", "issued_on"] != "").all()
    changed, count = td.issue_some_pending(frame)
    pending = (frame["outcome"] == "pending").sum()
    assert count == int(pending * 0.1) and (changed["outcome"] != frame["outcome"]).sum() == count
    assert (changed["issued_on"] >= changed["requested_on"]).where(changed["issued_on"] != "", True).all()


def test_the_registry_lists_the_benchmarks():
    assert "td.cases" in benchmarks.load()
