"""``python -m tests.benchmarks [name ...]``: run the benchmarks on the PostgreSQL database of DATABASE_URL,
which they fill and empty: give them a throwaway one, as `make bench` does.

First the travel-document import against COPY on the empty database (BENCH_ROWS rows, default 10,000 per
unit of scale), then the seeded data set at BENCH_SCALE (default 100; cms/bench.py): selectors against
hand-tuned SQL and pandas, and the main pages (tests/benchmarks/pages.py). BENCH_REPEATS: requests per
page (default 20). Writes bench/results.json and bench/results.md (BENCH_RESULTS_DIR elsewhere), keeping
the load test's figures of the last `make load-test`. Exits with 1 when a target is missed, 2 when the
database is not PostgreSQL. Names given (e.g. ``td.cases``) run only those empty-database benchmarks."""

import os
import sys
import tempfile
from pathlib import Path


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mcee.settings.bench")
    import django

    django.setup()
    from django.db import connection

    from cms.bench import bench_delete
    from countries.models import Country

    from . import results as results_file
    from . import run
    from .scale import seeded

    if connection.vendor != "postgresql":
        print("The benchmarks measure PostgreSQL: set DATABASE_URL to a throwaway PostgreSQL database "
              "(make bench creates one).", file=sys.stderr)
        return 2
    scale = float(os.environ.get("BENCH_SCALE") or 100)
    seed = int(os.environ.get("BENCH_SEED") or 1)
    rows = int(os.environ.get("BENCH_ROWS") or round(10_000 * scale))
    repeats = int(os.environ.get("BENCH_REPEATS") or 20)
    folder = Path(os.environ.get("BENCH_RESULTS_DIR") or results_file.RESULTS_DIR)
    previous = results_file.load(folder / "results.json")
    results = {"scale": scale, "seed": seed, "machine": results_file.machine()}

    def report(line):
        print(line, flush=True)

    with tempfile.TemporaryDirectory(prefix="mcee-bench-") as workdir:
        passed = run(rows=rows, workdir=Path(workdir), only=argv or None, report=report, results=results)
    if argv:
        return 0 if passed else 1
    # The import benchmark leaves its countries and a tenth of its cases: out of the seeded data set's way.
    bench_delete(codes=list(Country.objects.values_list("code", flat=True)))
    passed = seeded(scale=scale, seed=seed, repeats=repeats, report=report, results=results) and passed
    if "load_test" in previous:
        results["load_test"] = previous["load_test"]
    results["targets_met"] = passed
    results_file.save(results, folder)
    print(f"Results written to {folder / 'results.json'} and results.md", flush=True)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
