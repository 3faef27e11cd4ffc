"""The benchmarks on the seeded data set (cms/bench.py): page query counts at scale 1, then at the
benchmark's scale the seeding time, the selectors against hand-tuned SQL and pandas, and each main
page's server time (p50/p95) and query count. Figures go into ``results`` (bench/results.json)."""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from cms.bench import Sizes, bench_codes, bench_delete, bench_seed, td_case_frame
from countries.models import Country

from . import Report, aggregates, timed
from .pages import PAGES, context_from_data, page_queries, time_page

PAGE_P95_TARGET_MS = 300.0


def _analyze() -> None:
    """As autovacuum soon does after a bulk load: the planner's statistics of the new rows."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def seeded(*, scale: float, seed: int, repeats: int, report: Report, results: dict) -> bool:
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []  # the bench users are MCET staff and officers; no admin

    report("== pages at scale 1: query counts")
    bench_seed(scale=1, seed=seed)
    _analyze()
    context = context_from_data()
    small = {page.name: page_queries(page, context)[1] for page in PAGES}
    bench_delete(codes=bench_codes(Sizes.at(1).countries))

    report(f"== seeding scale {scale:g}")
    with timed() as seeding:
        written = bench_seed(scale=scale, seed=seed)
    _analyze()
    results["data_set"] = {"seconds": round(seeding.seconds, 1), "rows": written.counts}
    report(f"seed_bench --scale {scale:g}: {seeding.seconds:.1f} s ({written.counts})")

    ok = True
    context = context_from_data()
    country = Country.objects.get(code=context.country)
    comparisons = [aggregates.compare_envelope(), aggregates.compare_funding(), aggregates.compare_leverage(),
                   aggregates.compare_timeliness(country)]
    frame = td_case_frame(scale=scale, seed=seed)
    pandas = aggregates.compare_pandas(country, frame)
    results["selectors"] = []
    for c in comparisons:
        met = c.same_result and c.ratio <= aggregates.SELECTOR_TARGET_RATIO
        ok = ok and met
        results["selectors"].append({
            "name": c.name, "selector_ms": round(c.selector_ms, 1), "reference": "sql",
            "reference_ms": round(c.reference_ms, 1), "selector_vs_sql_ratio": round(c.ratio, 2),
            "target_ratio": aggregates.SELECTOR_TARGET_RATIO, "same_result": c.same_result, "met": met})
        report(f"{c.name}: {c.selector_ms:.1f} ms vs SQL {c.reference_ms:.1f} ms = {c.ratio:.2f} x "
               f"(target <= 2 x, same figures: {c.same_result}) {'PASS' if met else 'FAIL'}")
    ok = ok and pandas.same_result
    results["selectors"].append({
        "name": pandas.name, "selector_ms": round(pandas.selector_ms, 1), "reference": "pandas",
        "reference_ms": round(pandas.reference_ms, 1), "selector_vs_pandas_ratio": round(pandas.ratio, 2),
        "target_ratio": None, "same_result": pandas.same_result, "met": None,
        "rows_in_memory": len(frame)})
    report(f"{pandas.name}: {pandas.selector_ms:.1f} ms vs pandas {pandas.reference_ms:.1f} ms = "
           f"{pandas.ratio:.2f} x (no target; same figures: {pandas.same_result})")

    results["pages"] = []
    for page in PAGES:
        timing = time_page(page, context, repeats=repeats)
        equal = timing.queries == small[page.name]
        met = equal and timing.errors == 0 and (not page.p95_target or timing.p95_ms < PAGE_P95_TARGET_MS)
        ok = ok and met
        results["pages"].append({
            "name": page.name, "url": timing.url, "role": page.role, "p50_ms": timing.p50_ms,
            "p95_ms": timing.p95_ms, "queries": timing.queries, "queries_scale_1": small[page.name],
            "queries_equal": equal, "errors": timing.errors, "requests": timing.requests,
            "target_p95_ms": PAGE_P95_TARGET_MS if page.p95_target else None, "met": met})
        report(f"{page.name}: p50 {timing.p50_ms} ms, p95 {timing.p95_ms} ms, {timing.queries} queries "
               f"(scale 1: {small[page.name]}), {timing.errors} errors {'PASS' if met else 'FAIL'}")
    results["brief_pdf"] = brief_pdfs(country, report)
    return ok


def brief_pdfs(busiest: Country, report: Report) -> dict:
    """PDF generation time of the busiest country's brief, then of every country's brief (as an RWG
    member reads them); no target is set, the figures are reported."""
    from cms.brief_data import country_brief
    from cms.brief_pdf import brief_pdf

    from .pages import bench_user

    reader = bench_user("rwg_member")
    report("== brief PDFs")
    with timed() as one:
        size = len(brief_pdf(country_brief(country=busiest, user=reader, language="en")))
    countries = list(Country.objects.order_by("code"))
    with timed() as every:
        for country in countries:
            brief_pdf(country_brief(country=country, user=reader, language="en"))
    figures = {"one_country_ms": round(one.seconds * 1000, 1), "one_country_bytes": size,
               "all_countries_s": round(every.seconds, 1), "countries": len(countries),
               "mean_ms_per_country": round(every.seconds * 1000 / max(len(countries), 1), 1)}
    report(f"brief PDF of {busiest.code.code}: {figures['one_country_ms']} ms; all {len(countries)} countries: "
           f"{figures['all_countries_s']} s ({figures['mean_ms_per_country']} ms each)")
    return figures
