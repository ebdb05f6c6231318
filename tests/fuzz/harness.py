"""The fuzz harness: run one input under a timer (a traceback is a crash, over the limit a
hang), and judge the outcome against what its mutation class expects.

An outcome is one of:

- **clean error**: exit 1 and exactly one line on stderr (``Error: …``), no traceback;
- **accepted**: exit 0, and what was loaded passes its own checks (a graph: ``graph.check()``
  and the loader rules — ASCII ids, clean names, finite in-range points, dates 1800-2100 and in
  order, http(s) URLs — SHACL too in the long mode; evidence: see
  :func:`tests.fuzz.evidence.evidence_problems`);
- **crash** (any other exception: a traceback) or **hang** (over the time limit): always a bug.
"""

from __future__ import annotations

import io
import signal
import sys
import traceback
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["ERROR", "SAME", "SAME_OR_ERROR", "VALID_OR_ERROR", "FIXTURES", "TIMEOUT", "Outcome",
           "Target", "cli_call", "library_call", "run_one", "graph_problems", "shacl_problems",
           "normalised", "judge"]

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TIMEOUT = 20.0  # seconds per input; a loader that needs longer on these fixtures has hung

ERROR, SAME, SAME_OR_ERROR, VALID_OR_ERROR = "error", "same", "same or error", "valid or error"


# -- outcomes -------------------------------------------------------------------------------------

@dataclass
class Outcome:
    """What one run gave: exit code, output, the graph (when accepted), crash or hang."""

    code: int | None
    stdout: str = ""
    stderr: str = ""
    graph: Any = None
    crash: str = ""
    hang: bool = False


class _Hang(BaseException):
    """Raised by the timer; a BaseException so that no loader's ``except Exception`` eats it."""


def _alarm(signum: int, frame: Any) -> None:
    raise _Hang()


def cli_call(paths: list[Path], bundled: bool) -> Outcome:
    """Run ``lisgraph [--no-bundled] --data P … info -f json`` in-process."""
    from lisgraph import cli

    argv = ["lisgraph", *([] if bundled else ["--no-bundled"])]
    for p in paths:
        argv += ["--data", str(p)]
    argv += ["info", "-f", "json"]
    cli.state._graph = None
    out, err = io.StringIO(), io.StringIO()
    saved = sys.argv
    code: int | None = 0
    sys.argv = argv
    try:
        with redirect_stdout(out), redirect_stderr(err):
            cli.main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = saved
    graph = cli.state._graph if code == 0 else None
    cli.state._graph = None
    return Outcome(code, out.getvalue(), err.getvalue(), graph)


def library_call(load: Callable[[list[Path]], Any]) -> Callable[[list[Path], bool], Outcome]:
    """A ``call`` for a loader used as a library function (``load(paths) -> graph``): a
    :class:`~lisgraph.errors.LisgraphError` counts as exit 1 with its one line."""

    def call(paths: list[Path], bundled: bool) -> Outcome:
        from lisgraph.errors import LisgraphError

        try:
            return Outcome(0, graph=load(paths))
        except LisgraphError as exc:
            return Outcome(1, stderr=f"Error: {exc}\n")

    return call


def run_one(call: Callable[[list[Path], bool], Outcome], paths: list[Path], bundled: bool,
            timeout: float = TIMEOUT) -> Outcome:
    """Run one input under a timer; a traceback or a hang is recorded, never raised."""
    import threading

    # The alarm is sent to this thread itself: a process-wide timer signal may be delivered to
    # any thread (libraries start their own), and then a blocking read here never returns.
    previous = signal.signal(signal.SIGALRM, _alarm)
    me = threading.get_ident()
    timer = threading.Timer(timeout, lambda: signal.pthread_kill(me, signal.SIGALRM))
    timer.daemon = True
    timer.start()
    try:
        return call(paths, bundled)
    except _Hang:
        return Outcome(None, hang=True)
    except BaseException:  # noqa: BLE001 - a crash is what we are looking for
        return Outcome(None, crash=traceback.format_exc(limit=-6))
    finally:
        timer.cancel()
        signal.signal(signal.SIGALRM, previous)

# -- what a good graph looks like -----------------------------------------------------------------

def graph_problems(g: Any) -> list[str]:
    """Everything in ``g`` the loaders should have refused (empty when all is well)."""
    from datetime import date

    from lisgraph.errors import LisgraphError
    from lisgraph.checks import (
        bad_text,
        check_coordinates,
        check_day,
        check_node_id,
        check_period,
        check_source_id,
        check_url,
        check_vintage,
    )

    found: list[str] = []
    try:
        g.check()
    except LisgraphError as exc:
        found.append(f"graph.check: {exc}")
    for s in g.sources.values():
        for bad in (check_source_id(s.id), check_vintage(s.vintage),
                    check_url(s.url) if s.url else None, bad_text(s.publisher)):
            if bad:
                found.append(f"source {s.id!r}: {bad[0]}")
    for n in g.nodes.values():
        bad = check_node_id(g.schema, n.type, n.id) or bad_text(n.name) or (
            ("has an empty name", "") if not n.name.strip() else None)
        point = check_coordinates(n.props.get("lat"), n.props.get("lon"))
        period = check_period(n.props.get("valid_from"), n.props.get("valid_to"))
        urls = [check_url(str(n.props[k])) for k in ("url", "evidence_url") if k in n.props]
        days = [check_day(v) for v in n.props.values() if isinstance(v, date)]
        for problem in (bad, point and point[1:], period, *urls, *days):
            if problem:
                found.append(f"node {n.id!r}: {problem[0]}")
    for e in g.edges:
        days = [check_day(d) for d in (e.valid_from, e.valid_to) if d is not None]
        for problem in (check_period(e.valid_from, e.valid_to), *days):
            if problem:
                found.append(f"edge {e.start}-{e.type}-{e.end}: {problem[0]}")
    return found


def shacl_problems(g: Any) -> list[str]:
    from lisgraph.rdf.validate import validate_graph

    return [str(v) for v in validate_graph(g) if v.severity == "Violation"]


def normalised(g: Any) -> tuple:
    def props(p: dict) -> tuple:
        return tuple(sorted((k, tuple(sorted(map(str, v))) if isinstance(v, list) else v)
                            for k, v in p.items()))

    return ({(n.id, n.type, n.name, frozenset(n.sources), props(n.props)) for n in g.nodes.values()},
            {(e.start, e.type, e.end, e.valid_from, e.valid_to, frozenset(e.sources), props(e.props))
             for e in g.edges},
            frozenset(g.sources.values()))


def judge(outcome: Outcome, expect: str, original: tuple | None, shacl: bool = False,
          problems_of: Callable[[Any], list[str]] | None = None,
          normalise: Callable[[Any], tuple] | None = None) -> str:
    """``clean error``, ``correct accept`` or what went wrong (``crash``, ``hang``, ``wrong: …``)."""
    if outcome.hang:
        return "hang"
    if outcome.crash:
        return "crash"
    if "Traceback" in outcome.stderr:
        return "crash"
    lines = outcome.stderr.splitlines()
    if outcome.code == 1:
        if len(lines) != 1 or not lines[0].startswith("Error: "):
            return f"wrong: exit 1 with {len(lines)} lines on stderr"
        if expect == SAME:
            return "wrong: refused an input that means the same"
        return "clean error"
    if outcome.code != 0:
        return f"wrong: exit {outcome.code}"
    if any(not line.startswith("Warning: ") for line in lines):
        return "wrong: stderr holds more than warnings"
    if expect == ERROR:
        return "wrong: garbage accepted"
    problems = (problems_of or graph_problems)(outcome.graph)
    if shacl and not problems and problems_of is None:
        problems = shacl_problems(outcome.graph)
    if problems:
        return f"wrong: accepted a graph that fails its checks ({problems[0]})"
    if expect in (SAME, SAME_OR_ERROR) and (normalise or normalised)(outcome.graph) != original:
        return "wrong: accepted, but the graph differs from the unmutated one"
    return "correct accept"

@dataclass(frozen=True)
class Target:
    """A valid fixture and how it is loaded.

    ``build(folder)`` writes the fixture into an empty folder and returns the file the
    mutations apply to and the paths to load; ``family`` (``csv``, ``ons``, ``toml``, ``rdf``;
    evidence: ``ecsv``, ``gz``, ``xlsx``, ``json``) says which mutation classes apply; ``call``
    loads the paths (default: the CLI's ``--data``); ``problems`` and ``normalise`` judge what an
    accepted load gave (default: a graph's checks and form).
    """

    name: str
    build: Callable[[Path], tuple[Path, list[Path]]]
    family: str
    bundled: bool = False
    call: Callable[[list[Path], bool], Outcome] = cli_call
    #: what an accepted load must satisfy, and its comparable form (default: a graph's)
    problems: Callable[[Any], list[str]] | None = None
    normalise: Callable[[Any], tuple] | None = None


