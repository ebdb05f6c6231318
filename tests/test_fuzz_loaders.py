"""Fuzz suite for the loaders (issue 17): mutated fixtures by class, each outcome as its class
expects (see tests/fuzz/mutations.py and tests/fuzz/evidence.py for the classes and what each
must give).

CI mode runs a bounded, derandomised number of inputs per class; ``LISGRAPH_FUZZ_LONG=1``
multiplies them, and ``python -m tests.fuzz`` runs the long mode with counts.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import fuzz
from .fuzz import CLASSES, TARGETS, Outcome, Target, fuzz_one, judge, run_one

pytest.importorskip("pyoxigraph")

LONG = os.environ.get("LISGRAPH_FUZZ_LONG") == "1"
EXAMPLES = 150 if LONG else 10


@pytest.mark.parametrize("cls", CLASSES, ids=[c.name for c in CLASSES])
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_mutated_inputs_give_what_their_class_expects(cls, data):
    targets = [t for t in TARGETS if t.family in cls.families]
    target = data.draw(st.sampled_from(targets), label="fixture")
    rnd = data.draw(st.randoms(use_true_random=False), label="mutation")
    result = fuzz_one(target, cls, rnd)
    if result is None:
        return  # the class does not apply to this fixture (e.g. no date in it)
    verdict, detail = result
    assert verdict in ("clean error", "correct accept"), f"{target.name}: {verdict}: {detail}"


def test_every_class_applies_to_a_fixture_and_says_what_it_expects():
    for cls in CLASSES:
        assert cls.doc and cls.expect in (fuzz.ERROR, fuzz.SAME, fuzz.SAME_OR_ERROR,
                                          fuzz.VALID_OR_ERROR), cls.name
        applied = []
        for target in TARGETS:
            if target.family in cls.families:
                applied.append(fuzz_one(target, cls, random.Random(0)) is not None)
        assert any(applied), cls.name


def test_every_fixture_loads_unmutated():
    for target in TARGETS:
        records = fuzz.original_graph(target)[:2]  # nodes and links; observations and GVA rows
        assert any(records), target.name


# -- the harness catches what it is there to catch -----------------------------------------------

def test_a_traceback_is_a_crash_and_a_blocking_read_is_a_hang(tmp_path):
    def crashes(paths, bundled):
        raise KeyError("boom")

    assert judge(run_one(crashes, [], False), fuzz.ERROR, None) == "crash"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def blocks(paths, bundled):
        return Outcome(0, stdout=Path(fifo).read_text())  # waits for a writer forever

    start = time.monotonic()
    outcome = run_one(blocks, [], False, timeout=0.5)
    assert outcome.hang and judge(outcome, fuzz.ERROR, None) == "hang"
    assert time.monotonic() - start < 30  # the timer stopped it


def test_garbage_accepted_and_two_line_errors_are_wrong(tmp_path):
    from lisgraph import load_graph

    assert judge(Outcome(1, stderr="Error: a\nmore\n"), fuzz.ERROR, None).startswith("wrong")
    (tmp_path / "regions.csv").write_text("code,name,source\nE12000002,North West,s1\n")
    (tmp_path / "sources.csv").write_text(fuzz.SOURCES)
    g = load_graph([tmp_path], bundled=False)
    assert judge(Outcome(0, graph=g), fuzz.ERROR, None) == "wrong: garbage accepted"
    g.nodes["E12000002"].name = "North\u202eWest"  # what a loader must never let through
    verdict = judge(Outcome(0, graph=g), fuzz.VALID_OR_ERROR, None)
    assert verdict.startswith("wrong: accepted a graph that fails its checks"), verdict


def test_another_loader_plugs_in_with_its_own_call():
    from lisgraph import load_graph

    target = Target("library load_graph", fuzz.own_format("districts.csv"), "csv",
                    call=fuzz.library_call(lambda paths: load_graph(paths, bundled=False)))
    cls = next(c for c in CLASSES if c.name == "bad coordinate")
    assert fuzz_one(target, cls, random.Random(3))[0] == "clean error"
    cls = next(c for c in CLASSES if c.name == "line endings")
    assert fuzz_one(target, cls, random.Random(3))[0] == "correct accept"


def test_accepted_mutants_also_pass_shacl():
    pytest.importorskip("pyshacl")
    cls = next(c for c in CLASSES if c.name == "reorder columns")
    target = next(t for t in TARGETS if t.name == "csv districts")
    assert fuzz_one(target, cls, random.Random(1), shacl=True)[0] == "correct accept"
