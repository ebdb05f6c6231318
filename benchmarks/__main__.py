"""`python -m benchmarks`: run every measurement and print one table (optionally as Markdown).

Usage: python -m benchmarks [--quick] [--only cli,build,...] [--runs N] [--markdown FILE]

Sections: cli (cold start), build (bundled and synthetic graphs by size, with the growth
exponent), analysis (opportunities and overlaps against naive networkx baselines, peak
memory), rdf (Turtle export against rdflib), neo4j (push against one MERGE per row; only when
a server answers, and it WIPES lisgraph's nodes there), viz (page write and first drawing in
headless Chromium). Each figure is the median of its runs, set beside the baseline measured
in the same run and the goal. ``--quick`` runs small sizes once each (a smoke run, not
figures to quote). Progress goes to stderr, the table to stdout.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
import traceback
from pathlib import Path

from .report import Row, machine, markdown_table, seconds, text_table
from .suite import DEFAULT, QUICK, SECTIONS

__all__ = ["main"]


def _sections(text: str) -> list[str]:
    names = [s.strip() for s in text.split(",") if s.strip()]
    unknown = [n for n in names if n not in SECTIONS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown section {', '.join(unknown) or '(none)'}; choose from "
            f"{', '.join(SECTIONS)}")
    return names


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks",
                                 description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, one run each")
    ap.add_argument("--only", type=_sections, default=list(SECTIONS),
                    help=f"comma-separated sections (default all: {','.join(SECTIONS)})")
    ap.add_argument("--runs", type=int, help="timed runs of each figure (default 3; quick 1)")
    ap.add_argument("--markdown", type=Path, metavar="FILE", help="also write the table here")
    args = ap.parse_args(argv)
    sizes = QUICK if args.quick else DEFAULT
    if args.runs:
        sizes = dataclasses.replace(sizes, runs=args.runs, cli_runs=max(args.runs, 1),
                                    rdflib_runs=args.runs)
    start = time.perf_counter()
    rows: list[Row] = []
    failed = False
    for name in args.only:
        print(f"{name} ...", file=sys.stderr, flush=True)
        t = time.perf_counter()
        try:
            rows += SECTIONS[name](sizes)
        except Exception as exc:  # one broken section should not lose the others' figures
            failed = True
            rows.append(Row(name, "(section failed)", None,
                            note=f"error: {type(exc).__name__}: {exc}".splitlines()[0]))
            traceback.print_exc()
        print(f"{name}: {seconds(time.perf_counter() - t)}", file=sys.stderr, flush=True)
    wall = time.perf_counter() - start
    if args.quick:  # goals are set at the default sizes: a smoke run says nothing of them
        for row in rows:
            row.met = None
    where = machine()
    print(text_table(rows) + f"\nMachine: {where}\nTotal wall time: {seconds(wall)}")
    if args.markdown:
        command = "python -m benchmarks " + " ".join(argv if argv is not None else sys.argv[1:])
        args.markdown.write_text(markdown_table(rows, where, wall, command.strip()),
                                 encoding="utf-8")
        print(f"wrote {args.markdown}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
