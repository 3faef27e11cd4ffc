"""``python -m tests.benchmarks [name ...]``: run the benchmarks (all, or those whose name starts with
one of the names given) on the PostgreSQL database of DATABASE_URL, which they fill and empty: give
them a throwaway one, as `make bench` does. BENCH_ROWS sets the size (default 1,000,000 rows).
Exits with 1 when a target is missed, 2 when the database is not PostgreSQL."""

import os
import sys
import tempfile
from pathlib import Path


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mcee.settings.test")
    import django

    django.setup()
    from django.db import connection

    from . import DEFAULT_ROWS, run

    if connection.vendor != "postgresql":
        print("The benchmarks measure PostgreSQL: set DATABASE_URL to a throwaway PostgreSQL database "
              "(make bench creates one).", file=sys.stderr)
        return 2
    rows = int(os.environ.get("BENCH_ROWS") or DEFAULT_ROWS)
    with tempfile.TemporaryDirectory(prefix="mcee-bench-") as workdir:
        passed = run(rows=rows, workdir=Path(workdir), only=argv or None,
                     report=lambda line: print(line, flush=True))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
