"""``python -m tests.fuzz``: the long mode, every class on every fixture; prints counts."""

from __future__ import annotations

import random
import sys
from collections import Counter

from . import CLASSES, TARGETS, fuzz_one
from . import __doc__ as DOC


def main(argv: list[str] | None = None) -> int:
    """Long mode: every class on every fixture, ``--per-class`` inputs each; prints counts."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=DOC)
    parser.add_argument("--per-class", type=int, default=40,
                        help="inputs per (fixture, class) pair (default 40)")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--shacl", action="store_true", help="also run SHACL on accepted graphs")
    parser.add_argument("--show", type=int, default=10, help="failures to print in full")
    args = parser.parse_args(argv)
    totals: Counter[str] = Counter()
    by_class: dict[str, Counter[str]] = {}
    failures: list[str] = []
    for target in TARGETS:
        for cls in CLASSES:
            if target.family not in cls.families:
                continue
            for i in range(args.per_class):
                rnd = random.Random(f"{args.seed}/{target.name}/{cls.name}/{i}")
                result = fuzz_one(target, cls, rnd, args.shacl)
                if result is None:
                    break
                verdict, detail = result
                key = verdict if verdict in ("clean error", "correct accept", "crash", "hang") \
                    else "wrong"
                totals[key] += 1
                totals["inputs"] += 1
                if totals["inputs"] % 500 == 0:
                    print(f"… {totals['inputs']} inputs", file=sys.stderr, flush=True)
                by_class.setdefault(cls.name, Counter())[key] += 1
                if key in ("crash", "hang", "wrong"):
                    failures.append(f"[{target.name} / {cls.name}] {verdict}: {detail}")
    print(f"{'class':<22}{'inputs':>8}{'errors':>8}{'accepts':>9}{'wrong':>7}{'crash':>7}"
          f"{'hang':>6}")
    for name, c in by_class.items():
        print(f"{name:<22}{sum(c.values()):>8}{c['clean error']:>8}{c['correct accept']:>9}"
              f"{c['wrong']:>7}{c['crash']:>7}{c['hang']:>6}")
    print(f"\ninputs: {totals['inputs']}, clean errors: {totals['clean error']}, correct "
          f"accepts: {totals['correct accept']}, wrong outcomes: {totals['wrong']}, crashes: "
          f"{totals['crash']}, hangs: {totals['hang']}")
    for line in failures[: args.show]:
        print(line)
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
