"""``bench/results.json`` and its readable table ``bench/results.md``: the figures of the latest run, the
targets, whether each was met, and the machine they came from."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parents[2] / "bench"


def machine() -> dict:
    from django.db import connection

    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    memory_gb = None
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        memory_gb = round(pages * size / 1e9, 1)
    except (ValueError, OSError, AttributeError):
        pass
    postgresql = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            postgresql = cursor.fetchone()[0]
    import django

    return {"cores": os.cpu_count(), "cpu_model": model, "memory_gb": memory_gb, "postgresql": postgresql,
            "python": platform.python_version(), "django": django.get_version(), "system": platform.platform()}


def load(path: Path | None = None) -> dict:
    path = path or RESULTS_DIR / "results.json"
    return json.loads(path.read_text()) if path.exists() else {}


def save(results: dict, folder: Path | None = None) -> None:
    folder = folder or RESULTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    results.setdefault("generated_at", dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat())
    (folder / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    (folder / "results.md").write_text(markdown(results))


def _yes(met) -> str:
    return "—" if met is None else ("met" if met else "**MISSED**")


def markdown(results: dict) -> str:
    """The readable table of the results (the README shows it)."""
    m = results.get("machine", {})
    lines = [f"Benchmarks at scale {results.get('scale', '?')} (seed {results.get('seed', '?')}), "
             f"{results.get('generated_at', '')}.", "",
             f"Machine: {m.get('cores', '?')} cores, {m.get('cpu_model', '?')}, {m.get('memory_gb', '?')} GB, "
             f"PostgreSQL {m.get('postgresql', '?')}, Python {m.get('python', '?')}, Django {m.get('django', '?')}."]
    if results.get("note"):
        lines += ["", results["note"]]
    if results.get("data_set"):
        data = results["data_set"]
        lines += ["", f"Data set: {data.get('seconds', '?')} s to seed; " + ", ".join(
            f"{name} {rows:,}" for name, rows in data.get("rows", {}).items() if "_" not in name.split(".")[-1]) + "."]
    if results.get("import"):
        i = results["import"]
        lines += ["", "| travel-document import | rows | COPY s | import s | import_vs_copy_ratio | target | result |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
                  f"| td_cases_import vs COPY into a bare table | {i['rows']:,} | {i['copy_seconds']} | "
                  f"{i['import_seconds']} | {i['import_vs_copy_ratio']} | <= {i['target_ratio']} | {_yes(i['met'])} |"]
    if results.get("selectors"):
        lines += ["", "| selector | selector ms | reference | reference ms | ratio | target | same figures | result |",
                  "| --- | ---: | --- | ---: | ---: | ---: | --- | --- |"]
        for s in results["selectors"]:
            target = f"<= {s['target_ratio']}" if s.get("target_ratio") else "none set"
            lines.append(f"| {s['name']} | {s['selector_ms']} | {s['reference']} | {s['reference_ms']} | "
                         f"{s['selector_vs_sql_ratio' if s['reference'] == 'sql' else 'selector_vs_pandas_ratio']} | "
                         f"{target} | {'yes' if s['same_result'] else '**NO**'} | {_yes(s.get('met'))} |")
    if results.get("pages"):
        lines += ["", "| page | role | p50_ms | p95_ms | queries (scale 1) | queries | errors | result |",
                  "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"]
        for p in results["pages"]:
            lines.append(f"| {p['name']} | {p['role'] or 'anonymous'} | {p['p50_ms']} | {p['p95_ms']} | "
                         f"{p.get('queries_scale_1', '?')} | {p['queries']} | {p['errors']} | {_yes(p.get('met'))} |")
        lines += ["", "Pages: p95 target under 300 ms at scale 100; the query count equal at scale 1; no errors."]
    if results.get("brief_pdf"):
        b = results["brief_pdf"]
        lines += ["", "| brief PDF | one country ms | all countries s | countries | mean ms per country |",
                  "| --- | ---: | ---: | ---: | ---: |",
                  f"| country brief (reportlab) | {b['one_country_ms']} | {b['all_countries_s']} | {b['countries']} | "
                  f"{b['mean_ms_per_country']} |"]
    if results.get("load_test"):
        lt = results["load_test"]
        lines += ["", f"Load test: {lt.get('users')} users for {lt.get('seconds')} s against {lt.get('workers')} "
                      f"gunicorn workers (production profile, loopback).", "",
                  "| requests | errors | requests/s | p50_ms | p95_ms | p99_ms | result |",
                  "| ---: | ---: | ---: | ---: | ---: | ---: | --- |",
                  f"| {lt.get('requests')} | {lt.get('errors')} | {lt.get('requests_per_second')} | "
                  f"{lt.get('p50_ms')} | {lt.get('p95_ms')} | {lt.get('p99_ms')} | {_yes(lt.get('met'))} |"]
    if "targets_met" in results:
        lines += ["", f"All targets met: {'yes' if results['targets_met'] else '**no** (see the rows marked MISSED)'}."]
    return "\n".join(lines) + "\n"
