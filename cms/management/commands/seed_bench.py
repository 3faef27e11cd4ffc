"""`python manage.py seed_bench --scale N [--seed S] [--replace]`: the large fictional data set of the
benchmarks (cms/bench.py), written in bulk. Scale 100 needs the bench settings (mcee.settings.bench)."""

import time

from django.core.management.base import BaseCommand, CommandError

from cms.bench import BenchRefused, Sizes, bench_codes, bench_delete, bench_seed


class Command(BaseCommand):
    help = ("Write the fictional benchmark data set at N times its base size (scale 100: 250 countries, 2,000 "
            "projects, 100,000 engagements, 1,000,000 travel-document cases, 20 years of monthly figures).")

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, required=True, help="Times the base size (e.g. 1, 10, 100).")
        parser.add_argument("--seed", type=int, default=1, help="The random seed: the same seed, the same data.")
        parser.add_argument("--replace", action="store_true",
                            help="First delete everything recorded for the bench countries, projects and partners.")

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            sizes = Sizes.at(options["scale"])
            if options["replace"]:
                bench_delete(codes=bench_codes(sizes.countries))
            seeded = bench_seed(scale=options["scale"], seed=options["seed"])
        except (BenchRefused, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        for name, rows in seeded.counts.items():
            self.stdout.write(f"{name}: {rows:,}")
        self.stdout.write(self.style.SUCCESS(
            f"Bench data set at scale {options['scale']:g} (seed {options['seed']}) written in "
            f"{time.perf_counter() - started:.1f} s."))
