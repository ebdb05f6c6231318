"""Fuzzing the loaders: mutate valid fixtures by class and hold each outcome to what the class
expects. ``python -m tests.fuzz`` is the long mode: it prints the counts.

Graph inputs run through the command line in-process (``lisgraph [--no-bundled] --data …
info -f json``), evidence inputs through the ``--data`` loaders, each under a timer so that a
hang is caught. The parts:

- :mod:`tests.fuzz.harness`: running one input and judging its outcome;
- :mod:`tests.fuzz.mutations`: the classes of damage and what each must give (:data:`CLASSES`);
- :mod:`tests.fuzz.graph_inputs`: the graph fixtures (CSV tables, manifest, ONS lookups, RDF);
- :mod:`tests.fuzz.evidence`: the evidence fixtures (ONS Explore Local Statistics CSV and its
  metadata, GVA by industry tidy CSV and workbook) and the classes only they have.

Another loader joins the run by adding a :class:`Target` with its fixture builder, its format
family (which says which classes apply) and, if it is not read with ``--data``, its own
``call`` (and ``problems``/``normalise`` if what it loads is not a graph).
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from .evidence import EVIDENCE_CLASSES, EVIDENCE_TARGETS
from .graph_inputs import GRAPH_TARGETS, OWN_FORMAT, SOURCES, own_format
from .harness import (
    ERROR,
    SAME,
    SAME_OR_ERROR,
    VALID_OR_ERROR,
    Outcome,
    Target,
    cli_call,
    graph_problems,
    judge,
    library_call,
    normalised,
    run_one,
)
from .mutations import CLASSES as GENERIC_CLASSES
from .mutations import Mutant, MutationClass, apply_special, expectation

__all__ = [
    "CLASSES",
    "ERROR",
    "OWN_FORMAT",
    "SAME",
    "SAME_OR_ERROR",
    "SOURCES",
    "TARGETS",
    "VALID_OR_ERROR",
    "Mutant",
    "MutationClass",
    "Outcome",
    "Target",
    "cli_call",
    "fuzz_one",
    "graph_problems",
    "judge",
    "library_call",
    "original_graph",
    "own_format",
    "run_one",
]

TARGETS: list[Target] = [*GRAPH_TARGETS, *EVIDENCE_TARGETS]
CLASSES: list[MutationClass] = [*GENERIC_CLASSES, *EVIDENCE_CLASSES]

_ORIGINALS: dict[str, tuple] = {}


def original_graph(target: Target) -> tuple:
    """The normalised graph the unmutated fixture gives (it must load cleanly)."""
    if target.name not in _ORIGINALS:
        with tempfile.TemporaryDirectory() as tmp:
            _, paths = target.build(Path(tmp))
            outcome = run_one(target.call, paths, target.bundled)
            if outcome.code != 0:
                raise AssertionError(f"fixture {target.name} does not load: {outcome.stderr}"
                                     f"{outcome.crash}")
            _ORIGINALS[target.name] = (target.normalise or normalised)(outcome.graph)
    return _ORIGINALS[target.name]


def fuzz_one(target: Target, cls: MutationClass, rnd: random.Random,
             shacl: bool = False) -> tuple[str, str] | None:
    """Mutate ``target`` with ``cls`` and judge the outcome: ``(verdict, detail)``, or None
    when the class does not apply to this fixture."""
    original = original_graph(target)
    with tempfile.TemporaryDirectory() as tmp:
        path, paths = target.build(Path(tmp))
        mutant = cls.mutate(path.read_bytes(), rnd, target)
        if mutant is None:
            return None
        if mutant.special:
            apply_special(path, mutant.special)
        else:
            path.write_bytes(mutant.data)
        outcome = run_one(target.call, paths, target.bundled)
        # SHACL where it is cheap: on the small fixtures, not on top of the bundled graph
        verdict = judge(outcome, expectation(cls, target, mutant), original,
                        shacl and not target.bundled, target.problems, target.normalise)
        if verdict == "correct accept" and mutant.check:
            problem = mutant.check(outcome.graph)
            verdict = f"wrong: {problem}" if problem else verdict
        detail = outcome.crash or outcome.stderr.strip()[:300]
        if verdict.startswith("wrong") or verdict in ("crash", "hang"):
            sample = mutant.special or mutant.data[:200]
            detail = f"{detail} | input: {sample!r}"
        return verdict, detail
