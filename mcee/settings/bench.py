"""Benchmarks (`make bench`, `seed_bench` at large scales): the test settings, plus enough fictional
countries for the large data set (about 250 at scale 100), and an API rate that repeated measuring
requests do not reach.

The ISO 3166 user-assigned codes (XA-XZ, QM-QZ, AA, ZZ) are only 42, so the bench also uses two-letter
codes that ISO 3166 assigns to no country (and are not reserved for one). They exist here and nowhere
else: production settings never add them, and the test and development settings know only XA-XM.
"""

import os
import string

from django_countries.data import COUNTRIES

from .test import *  # noqa: F403
from .test import DEMO_COUNTRIES_OVERRIDE

# Codes ISO 3166 reserves (exceptionally or transitionally) for something real: never used, even here.
RESERVED_CODES = {"AC", "AN", "BU", "CP", "CQ", "CS", "DG", "DY", "EA", "EU", "EW", "EZ", "FL", "FX", "IC", "JA",
                  "LF", "NT", "PI", "RA", "RB", "RC", "RH", "RI", "RL", "RM", "RN", "RP", "SF", "SU", "TA", "TP",
                  "UK", "UN", "WG", "WL", "WV", "YU", "YV", "ZR"}


def bench_country_codes() -> list[str]:
    """Fictional country codes in a fixed order: the demo ones (XA-XM) first, then the other
    user-assigned codes, then codes ISO 3166 leaves unassigned."""
    user_assigned = ([f"X{c}" for c in string.ascii_uppercase] + [f"Q{c}" for c in "MNOPQRSTUVWXYZ"]
                     + ["AA", "ZZ"])
    demo = list(DEMO_COUNTRIES_OVERRIDE)
    unassigned = [a + b for a in string.ascii_uppercase for b in string.ascii_uppercase
                  if a + b not in COUNTRIES and a + b not in RESERVED_CODES and a + b not in user_assigned]
    ordered = demo + [c for c in user_assigned if c not in demo] + unassigned
    return list(dict.fromkeys(ordered))


# Names only a benchmark shows; not translated (they are placeholders, like the codes).
BENCH_COUNTRIES_OVERRIDE = {code: f"Benchland {code}" for code in bench_country_codes()}
COUNTRIES_OVERRIDE = {**BENCH_COUNTRIES_OVERRIDE, **DEMO_COUNTRIES_OVERRIDE}

# The page benchmarks request each API list many times a minute as one person.
MCEE_API_RATE = os.environ.get("MCEE_API_RATE", "100000/minute")
