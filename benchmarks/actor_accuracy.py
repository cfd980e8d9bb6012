#!/usr/bin/env python3
"""Print country and sector accuracy of actor resolution on NGEC expectations.

Usage:  python benchmarks/actor_accuracy.py [CSV] [--today YYYY-MM-DD] [--errors N] [--json]

CSV defaults to ../shared/data/gold/ngec_actor_resolution_expectations.csv (its
``agent_to_code`` rows). Scoring is defined in polybius.evaluate.actors. The script asserts
nothing; it exits 0 with a message when the file is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "gold" / "ngec_actor_resolution_expectations.csv"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Actor resolution accuracy (country, sector).")
    ap.add_argument("csv", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--today", default=None, help="date that 'Today' rows resolve at")
    ap.add_argument("--errors", type=int, default=0, help="print up to N wrong cases")
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = ap.parse_args(argv)
    if not args.csv.is_file():
        print(f"{args.csv}: not found; nothing to evaluate", file=sys.stderr)
        return 0
    from polybius.evaluate.actors import evaluate_actor_cases, read_actor_cases
    from polybius.nlp import load_nlp

    cases = read_actor_cases(args.csv, args.today)
    t0 = time.perf_counter()
    result = evaluate_actor_cases(cases, load_nlp())
    seconds = time.perf_counter() - t0
    rows = result.pop("rows")
    result["seconds"] = round(seconds, 2)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"actor resolution on {args.csv.name} (agent_to_code rows: {result['cases']})")
        for key in (
            "country_accuracy",
            "sector_accuracy",
            "both_accuracy",
            "country_accuracy_where_expected",
            "sector_accuracy_where_expected",
        ):
            print(f"  {key:34} {result[key]:.3f}")
        print(
            f"  rows with an expected country / sector: {result['cases_with_country']} / "
            f"{result['cases_with_sector']}; {seconds:.1f} s"
        )
    shown = 0
    for r in rows:
        if shown >= args.errors:
            break
        if not (r["country_ok"] and r["sector_ok"]):
            shown += 1
            print(
                f"  x {r['text']!r}: got {r['country']}/{r['sector']}, "
                f"expected {r['expect_country']}/{r['expect_sector']}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
