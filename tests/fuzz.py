"""Fuzzing the loaders: mutate valid fixtures by class and hold each outcome to what the class
expects. ``python -m tests.fuzz`` is the long mode: it prints the counts.

Every input runs through the command line in-process (``lisgraph [--no-bundled] --data …
info -f json``) under a timer, so a hang is caught, and the outcome is one of:

- **clean error**: exit 1 and exactly one line on stderr (``Error: …``), no traceback;
- **accepted**: exit 0, and the graph passes its own checks (``graph.check()`` and the loader
  rules: ASCII ids, clean names, finite in-range points, dates 1800-2100 and in order, http(s)
  URLs) — SHACL too in the long mode;
- **crash** (any other exception: a traceback) or **hang** (over the time limit): always a bug.

What each mutation class must give is written in :data:`CLASSES` (``expect``):

======================  ==========================================================
``error``               a clean error (anything accepted is garbage accepted)
``same``                accepted, and the very graph the unmutated fixture gives
``same or error``       either of the two (e.g. a repeated row merges or is refused)
``valid or error``      accepted with a graph that passes the checks, or a clean error
======================  ==========================================================

The fixtures and the ways to load them are a table, :data:`TARGETS`: another loader (e.g. the
evidence tables) joins the fuzz run by adding a :class:`Target` with its fixture builder, its
format family (which says which classes apply) and, if it is not read with ``--data``, its own
``call``.
"""

from __future__ import annotations

import csv
import io
import os
import random
import signal
import sys
import tempfile
import traceback
from collections import Counter
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "CLASSES",
    "TARGETS",
    "Mutant",
    "MutationClass",
    "Outcome",
    "Target",
    "cli_call",
    "fuzz_one",
    "graph_problems",
    "judge",
    "library_call",
    "main",
    "run_one",
]

FIXTURES = Path(__file__).resolve().parent / "fixtures"
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
    from lisgraph.ingest.checks import (
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


def judge(outcome: Outcome, expect: str, original: tuple | None, shacl: bool = False) -> str:
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
    problems = graph_problems(outcome.graph)
    if shacl and not problems:
        problems = shacl_problems(outcome.graph)
    if problems:
        return f"wrong: accepted a graph that fails its checks ({problems[0]})"
    if expect in (SAME, SAME_OR_ERROR) and normalised(outcome.graph) != original:
        return "wrong: accepted, but the graph differs from the unmutated one"
    return "correct accept"


# -- fixtures -------------------------------------------------------------------------------------

SOURCES = ("id,publisher,title,url,vintage,licence,note\n"
           "s1,Office for National Statistics,Test lookup – café,https://example.org/s1,2021,"
           "OGL-UK-3.0,\n"
           "s2,Example Partnership,Board page,https://example.org/board,2019,unknown,fixture\n")
REGIONS = "code,name,source\nE12000002,North West,s1\nE12000008,South East,s1\n"
COUNTIES = ("code,name,valid_from,valid_to,source\n"
            "E10000002,Buckinghamshire,1974-04-01,2020-03-31,s1\n")
DISTRICTS = ("code,name,kind,lat,lon,valid_from,valid_to,source\n"
             "E08000003,Manchester,metropolitan borough,53.47,-2.23,,,s1\n"
             "E08000006,Salford,metropolitan borough,53.48,-2.29,1974-04-01,,s1\n"
             "E07000004,Aylesbury Vale,non-metropolitan district,51.82,-0.81,,2020-03-31,s1\n")
PART_OF = ("member,body,valid_from,valid_to,source\n"
           "E08000003,E12000002,,,s1\n"
           "E08000006,E12000002,2019-01-01,2020-12-31,s1\n"
           "E07000004,E10000002,,2020-03-31,s1\n"
           "E07000004,E12000008,,,s1;s2\n")
PARTNERSHIPS = ("id,name,kind,established,ended,url,source\n"
                "northern-powerhouse,Northern Powerhouse,pan-regional partnership,2014-06-23,,"
                "https://example.org/np,s2\n")
MEMBERS = ("partnership,member,valid_from,valid_to,source\n"
           "northern-powerhouse,E08000003,2014-06-23,,s2\n")
OWN_FORMAT = {"sources.csv": SOURCES, "regions.csv": REGIONS, "counties.csv": COUNTIES,
              "districts.csv": DISTRICTS, "part_of.csv": PART_OF, "partnerships.csv": PARTNERSHIPS,
              "partnership_members.csv": MEMBERS}
MANIFEST = """id = "fuzz"
title = "Fuzz fixture – café"
publisher = "Office for National Statistics"
licence = "OGL-UK-3.0"
vintage = "2021"
url = "https://example.org/fuzz"
format = "csv"

[[tables]]
kind = "sources"
file = "sources.csv"

[[tables]]
kind = "regions"
file = "areas.csv"

[tables.columns]
code = "GSS"
name = "NAME"
"""


def _write(folder: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        (folder / name).write_bytes(content.encode("utf-8") if isinstance(content, str) else content)


def own_format(mutated: str) -> Callable[[Path], tuple[Path, list[Path]]]:
    def build(folder: Path) -> tuple[Path, list[Path]]:
        _write(folder, OWN_FORMAT)
        return folder / mutated, [folder]

    return build


def manifest(folder: Path) -> tuple[Path, list[Path]]:
    _write(folder, {"sources.csv": SOURCES, "areas.csv": "GSS,NAME,source\nE12000002,North West,s1\n",
                    "fuzz.toml": MANIFEST})
    return folder / "fuzz.toml", [folder / "fuzz.toml"]


def fixture_file(name: str) -> Callable[[Path], tuple[Path, list[Path]]]:
    def build(folder: Path) -> tuple[Path, list[Path]]:
        (folder / name).write_bytes((FIXTURES / name).read_bytes())
        return folder / name, [folder / name]

    return build


def user_folder(mutated: str) -> Callable[[Path], tuple[Path, list[Path]]]:
    def build(folder: Path) -> tuple[Path, list[Path]]:
        for p in (FIXTURES / "user").iterdir():
            (folder / p.name).write_bytes(p.read_bytes())
        return folder / mutated, [folder]

    return build


@cache
def _exported(fmt: str) -> bytes:
    from lisgraph import load_graph
    from lisgraph.rdf.export import export

    with tempfile.TemporaryDirectory() as tmp:
        _write(Path(tmp), OWN_FORMAT)
        g = load_graph([Path(tmp)], bundled=False)
        out = Path(tmp, f"export.{fmt}")
        export(g, fmt, out)
        return out.read_bytes()


def rdf_export(fmt: str) -> Callable[[Path], tuple[Path, list[Path]]]:
    def build(folder: Path) -> tuple[Path, list[Path]]:
        path = folder / f"graph.{fmt}"
        path.write_bytes(_exported(fmt))
        return path, [path]

    return build


@dataclass(frozen=True)
class Target:
    """A valid fixture and how it is loaded.

    ``build(folder)`` writes the fixture into an empty folder and returns the file the
    mutations apply to and the paths to load; ``family`` (``csv``, ``ons``, ``toml``, ``rdf``)
    says which mutation classes apply; ``call`` loads the paths (default: the CLI's ``--data``).
    """

    name: str
    build: Callable[[Path], tuple[Path, list[Path]]]
    family: str
    bundled: bool = False
    call: Callable[[list[Path], bool], Outcome] = cli_call


TARGETS: list[Target] = [
    Target("csv sources", own_format("sources.csv"), "csv"),
    Target("csv districts", own_format("districts.csv"), "csv"),
    Target("csv counties", own_format("counties.csv"), "csv"),
    Target("csv part_of", own_format("part_of.csv"), "csv"),
    Target("csv partnerships", own_format("partnerships.csv"), "csv"),
    Target("manifest", manifest, "toml"),
    Target("ONS LEP lookup", fixture_file("LAD21_LEP21_EN_LU.csv"), "ons"),
    Target("ONS CA lookup (BOM, CRLF)", fixture_file("LAD24_CAUTH24_EN_LU.csv"), "ons"),
    Target("ONS region lookup", fixture_file("LAD18_RGN18_EN_LU.csv"), "ons"),
    Target("Turtle export", rdf_export("ttl"), "rdf"),
    Target("N-Triples export", rdf_export("nt"), "rdf"),
    Target("JSON-LD export", rdf_export("jsonld"), "rdf"),
    Target("user partners + bundled", user_folder("partners.csv"), "csv", bundled=True),
    Target("ONS LEP lookup + bundled", fixture_file("LAD21_LEP21_EN_LU.csv"), "ons", bundled=True),
]


# -- mutations --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Mutant:
    """A mutated file: new bytes, or ``special`` (fifo, folder, loop, dangling, device)."""

    data: bytes = b""
    special: str = ""
    expect: str = ""  # overrides the class's expectation when the mutation decides it


Mutator = Callable[[bytes, random.Random, "Target"], "Mutant | None"]


@dataclass(frozen=True)
class MutationClass:
    name: str
    expect: str
    mutate: Mutator
    families: tuple[str, ...] = ("csv", "ons", "toml", "rdf")
    doc: str = field(default="", compare=False)


def _table(data: bytes) -> tuple[list[str], list[list[str]], bool]:
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], [r for r in rows[1:] if r], data.startswith(b"\xef\xbb\xbf")


def _untable(header: list[str], rows: list[list[str]], bom: bool = False,
             quoting: int = csv.QUOTE_MINIMAL) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=quoting)
    writer.writerow(header)
    writer.writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


def _cells(data: bytes, test: Callable[[str, str], bool]) -> list[tuple[int, int]]:
    header, rows, _ = _table(data)
    return [(r, c) for r, row in enumerate(rows) for c, value in enumerate(row)
            if c < len(header) and test(header[c], value)]


def _set_cell(data: bytes, rnd: random.Random, test: Callable[[str, str], bool],
              values: Callable[[str, str], str]) -> Mutant | None:
    header, rows, bom = _table(data)
    cells = _cells(data, test)
    if not cells:
        return None
    r, c = rnd.choice(cells)
    rows[r][c] = values(header[c], rows[r][c])
    return Mutant(_untable(header, rows, bom))


def _replace_literal(data: bytes, rnd: random.Random, literals: list[str],
                     bad: Callable[[str], str], quoted: bool = True) -> Mutant | None:
    """RDF: replace every occurrence of one literal (so the record that is read changes)."""
    text = data.decode("utf-8")
    present = [v for v in literals if (f'"{v}"' if quoted else v) in text]
    if not present:
        return None
    value = rnd.choice(present)
    old = f'"{value}"' if quoted else value
    return Mutant(text.replace(old, f'"{bad(value)}"' if quoted else bad(value)).encode("utf-8"))


GSS_OR_UKPRN = __import__("re").compile(r"^(E[0-9]{8}|1[0-9]{7})$")
DAY = __import__("re").compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
NAME_COLUMNS = {"name", "label", "title", "publisher", "former_names", "alt_labels"}
REF_COLUMNS = {"source", "member", "body", "partnership", "partner", "district", "strategy",
               "themes", "broader", "members", "a", "b", "old", "new"}


def _bad_code(value: str, rnd: random.Random) -> str:
    digits = value.removeprefix("E")
    return rnd.choice([
        value[:3] + "".join(chr(0x0660 + int(d)) for d in value[3:]),  # Arabic-Indic digits
        value[:-1], value + "0", value.lower(), "E99" + digits[2:], value[:4] + " " + value[4:],
        value[:-1] + "\uff10", "", value + "x",
    ]) or "E0"


BAD_DAYS = ["0000-01-01", "2021-02-30", "2021-13-01", "9999-12-31", "1066-10-14", "21-01-01",
            "2021-1-1", "01/02/2021", "20210101", "\u0662\u0660\u0662\u0661-01-01",
            "2021-01-01T00:00", "2021-01-01Z", "tomorrow"]
#: out of range (or not numbers) for latitude and longitude alike
BAD_POINTS = ["nan", "NaN", "inf", "-inf", "1e400", "181", "-180.01", "1000", "53,47",
              "\u0665\u0663.4", "0x10", "1_0", "--1", "53.4.7", "\u0661"]
BAD_LATITUDES = ["91", "-90.5", "90.0001"]
BAD_URLS = ["javascript:alert(1)", "file:///etc/passwd", "ftp://example.org", "http://",
            "example.org", "data:text/html,<b>x</b>", "https://exa mple.org", "//example.org",
            "https://example.org/\x1b[2J"]
BAD_CHARS = ["\x1b[31m", "\x00", "\u202e", "\u2066", "\x7f", "\u2028", "\ufeff", "\x9b",
             "\u200f", "\u061c"]
RDF_CODES = ["E08000003", "E08000006", "E07000004", "E12000002", "E12000008", "E10000002"]
RDF_DAYS = ["1974-04-01", "2019-01-01", "2020-12-31", "2020-03-31", "2014-06-23"]
RDF_POINTS = ["53.47", "-2.23", "53.48", "-2.29", "51.82", "-0.81"]
RDF_NAMES = ["Manchester", "Salford", "Aylesbury Vale", "North West", "Buckinghamshire"]


def truncate(data: bytes, rnd: random.Random, t: Target) -> Mutant:
    return Mutant(data[: rnd.randrange(0, len(data))])


def byte_flip(data: bytes, rnd: random.Random, t: Target) -> Mutant:
    out = bytearray(data)
    for _ in range(rnd.randint(1, 3)):
        i = rnd.randrange(len(out))
        out[i] = rnd.choice([out[i] ^ (1 << rnd.randrange(8)), rnd.randrange(256)])
    return Mutant(bytes(out))


def drop_column(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    header, rows, bom = _table(data)
    c = rnd.randrange(len(header))
    expect = ERROR if t.family == "csv" and _required(header[c]) else VALID_OR_ERROR
    return Mutant(_untable([h for i, h in enumerate(header) if i != c],
                           [[v for i, v in enumerate(r) if i != c] for r in rows], bom),
                  expect=expect)


def _required(column: str) -> bool:
    from lisgraph.ingest import TABLE_KINDS

    optional = {c for k in TABLE_KINDS.values() for c in k.optional}
    return column not in optional


def rename_column(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    header, rows, bom = _table(data)
    c = rnd.randrange(len(header))
    old = header[c]
    header[c] = rnd.choice([old[:-1], old + "s", old.upper() if old.islower() else old.lower(),
                            old[::-1] if len(old) > 1 else old + "x", " " + old + "_"])
    if header[c].strip() == old:
        header[c] = old + "x"
    expect = ERROR if t.family == "csv" and _required(old) else VALID_OR_ERROR
    return Mutant(_untable(header, rows, bom), expect=expect)


def add_column(data: bytes, rnd: random.Random, t: Target) -> Mutant:
    header, rows, bom = _table(data)
    c = rnd.randrange(len(header) + 1)
    name = rnd.choice(["zz_extra", "comment", "Notes", "x"])
    header.insert(c, name)
    for r in rows:
        r.insert(c, rnd.choice(["", "something", "1"]))
    return Mutant(_untable(header, rows, bom))


def reorder_columns(data: bytes, rnd: random.Random, t: Target) -> Mutant:
    header, rows, bom = _table(data)
    order = list(range(len(header)))
    rnd.shuffle(order)
    return Mutant(_untable([header[i] for i in order], [[r[i] for i in order] for r in rows], bom))


def encoding(data: bytes, rnd: random.Random, t: Target) -> Mutant:
    text = data.decode("utf-8-sig")
    codec = rnd.choice(["utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252"])
    encoded = text.encode(codec, errors="replace")
    if codec in ("latin-1", "cp1252") and text.isascii():
        return Mutant(encoded, expect=SAME)
    return Mutant(encoded)


def bom(data: bytes, rnd: random.Random, t: Target) -> Mutant:
    expect = SAME_OR_ERROR if t.family == "rdf" else SAME
    return Mutant(b"\xef\xbb\xbf" + data.removeprefix(b"\xef\xbb\xbf"), expect=expect)


def line_endings(data: bytes, rnd: random.Random, t: Target) -> Mutant:
    lf = data.replace(b"\r\n", b"\n")
    choice = rnd.choice(["crlf", "cr", "mixed"] if t.family in ("csv", "ons") else ["crlf"])
    if choice == "crlf":
        return Mutant(lf.replace(b"\n", b"\r\n"))
    if choice == "cr":
        return Mutant(lf.replace(b"\n", b"\r"))
    lines = lf.split(b"\n")
    return Mutant(b"".join(line + rnd.choice([b"\n", b"\r\n"]) for line in lines[:-1]) + lines[-1])


def quote_all(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    header, rows, bom_ = _table(data)
    return Mutant(_untable(header, rows, bom_, csv.QUOTE_ALL))


def unclosed_quote(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    if t.family in ("csv", "ons"):
        text = data.decode("utf-8-sig")
        starts = [i for i, ch in enumerate(text) if i == 0 or text[i - 1] in ",\n"]
        starts = [i for i in starts if i < len(text) and text[i] not in "\r\n"]
        i = rnd.choice(starts)
        return Mutant((text[:i] + '"' + text[i:]).encode("utf-8"))
    i = rnd.randrange(len(data))
    return Mutant(data[:i] + b'"' + data[i:], expect=VALID_OR_ERROR if t.family == "rdf" else "")


def huge_field(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    big = "x" * rnd.choice([5001, 20_000, 140_000, 1_000_000])
    if t.family == "rdf":
        return _replace_literal(data, rnd, RDF_NAMES, lambda v: big)
    if t.family == "toml":
        return Mutant(data.replace(b'"Fuzz fixture', f'"{big}'.encode()))
    return _set_cell(data, rnd, lambda h, v: True, lambda h, v: big)


def bad_code(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    if t.family == "rdf":
        return _replace_literal(data, rnd, RDF_CODES, lambda v: _bad_code(v, rnd))
    return _set_cell(data, rnd, lambda h, v: bool(GSS_OR_UKPRN.match(v.strip())),
                     lambda h, v: _bad_code(v.strip(), rnd))


def bad_date(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    if t.family == "rdf":
        return _replace_literal(data, rnd, RDF_DAYS, lambda v: rnd.choice(BAD_DAYS))
    return _set_cell(data, rnd, lambda h, v: bool(DAY.match(v)), lambda h, v: rnd.choice(BAD_DAYS))


def reversed_dates(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    pairs = [("valid_from", "valid_to"), ("established", "ended"), ("established", "abolished")]
    header, rows, b = _table(data)
    found = [(r, header.index(a), header.index(z)) for a, z in pairs if a in header and z in header
             for r, row in enumerate(rows) if row[header.index(a)] and row[header.index(z)]]
    if t.family == "rdf":
        return None
    if not found:
        # a start after the end: put an end date before an existing start
        starts = [(r, header.index(a), header.index(z)) for a, z in pairs
                  if a in header and z in header for r, row in enumerate(rows)
                  if row[header.index(a)]]
        if not starts:
            return None
        r, a, z = rnd.choice(starts)
        rows[r][z] = "1801-01-01"
        return Mutant(_untable(header, rows, b))
    r, a, z = rnd.choice(found)
    rows[r][a], rows[r][z] = rows[r][z], rows[r][a]
    return Mutant(_untable(header, rows, b))


def bad_coordinate(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    if t.family == "rdf":
        # every occurrence, so that lis:lat / lis:lon (not only geo:lat) carries it; a bare
        # Turtle number that is no longer a number is a syntax error, also one line
        return _replace_literal(data, rnd, RDF_POINTS, lambda v: rnd.choice(BAD_POINTS),
                                quoted=False)
    return _set_cell(data, rnd, lambda h, v: h in ("lat", "lon") and bool(v),
                     lambda h, v: rnd.choice(BAD_POINTS + (BAD_LATITUDES if h == "lat" else [])))


def bad_url(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    if t.family == "rdf":
        return None
    if t.family == "toml":
        return Mutant(data.replace(b"https://example.org/fuzz", rnd.choice(BAD_URLS[:6]).encode()))
    return _set_cell(data, rnd, lambda h, v: h in ("url", "evidence_url") and bool(v),
                     lambda h, v: rnd.choice(BAD_URLS))


def control_chars(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    char = rnd.choice(BAD_CHARS)
    if t.family == "rdf":
        escaped = f"\\u{ord(char[0]):04X}"
        return _replace_literal(data, rnd, RDF_NAMES, lambda v: v[:2] + escaped + v[2:])
    if t.family == "toml":
        return Mutant(data.replace(b"Fuzz fixture", f"Fuzz{char}fixture".encode()))
    return _set_cell(data, rnd, lambda h, v: (h in NAME_COLUMNS or h.endswith("NM")) and bool(v),
                     lambda h, v: v[: len(v) // 2] + char + v[len(v) // 2:])


def duplicate_row(data: bytes, rnd: random.Random, t: Target) -> Mutant:
    lines = data.splitlines(keepends=True)
    if not lines[-1].endswith((b"\n", b"\r")):
        lines[-1] += b"\n"
    first = 1 if t.family in ("csv", "ons") else 0
    i = rnd.randrange(first, len(lines)) if len(lines) > first else 0
    lines.insert(rnd.randrange(first, len(lines) + 1), lines[i])
    return Mutant(b"".join(lines))


def dangling_reference(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    if t.family == "rdf":
        text = data.decode("utf-8")
        code = rnd.choice([c for c in RDF_CODES if c in text])
        spots = [i for i in range(len(text)) if text.startswith(code, i) and text[i - 1] != '"']
        i = rnd.choice(spots)
        return Mutant((text[:i] + "E12999999" + text[i + len(code):]).encode("utf-8"))
    if t.family == "toml":
        return Mutant(data.replace(b'file = "areas.csv"', b'file = "nosuch.csv"'))
    header = _table(data)[0]
    if "id" in header and "publisher" in header:  # the sources table: what others cite
        return _set_cell(data, rnd, lambda h, v: h == "id", lambda h, v: "nosuch")
    return _set_cell(data, rnd, lambda h, v: h in REF_COLUMNS and bool(v),
                     lambda h, v: "nosuch" if h == "source" else
                     rnd.choice(["E12999999", "E08999999", "no-such-body"]))


def wrong_type(data: bytes, rnd: random.Random, t: Target) -> Mutant:
    text = data.decode("utf-8")
    keys = ["id", "title", "publisher", "licence", "vintage", "url", "format", "kind", "file"]
    key = rnd.choice(keys)
    value = rnd.choice(["5", "[1, 2]", "{ a = 1 }", "true", "1979-05-27T07:32:00Z", "3.5", '""'])
    lines = text.splitlines()
    spots = [i for i, line in enumerate(lines) if line.startswith(f"{key} = ")]
    i = rnd.choice(spots)
    lines[i] = f"{key} = {value}"
    return Mutant(("\n".join(lines) + "\n").encode("utf-8"))


def deep_nesting(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    depth = rnd.choice([100, 2000, 100_000])
    if t.family == "toml":
        return Mutant(data + f"deep = {'[' * depth}{']' * depth}\n".encode())
    if t.family == "rdf" and t.name.startswith("JSON"):
        text = data.decode("utf-8")
        return Mutant(text.replace('"@graph": [', '"@graph": [' + '{"@list": [' * depth
                                   + "]}" * depth + ",", 1).encode("utf-8"))
    if t.family == "rdf":
        nest = "[ <https://example.org/p> " * depth + "1" + " ]" * depth
        return Mutant(data + f"\n<https://example.org/s> <https://example.org/p> {nest} .\n"
                      .encode())
    return None


def empty(data: bytes, rnd: random.Random, t: Target) -> Mutant:
    choice = rnd.choice(["empty", "blank", "header"] if t.family in ("csv", "ons")
                        else ["empty", "blank"])
    if choice == "empty":
        return Mutant(b"")
    if choice == "blank":
        return Mutant(b" \n\r\n\t\n")
    return Mutant(data.splitlines(keepends=True)[0])


def non_regular(data: bytes, rnd: random.Random, t: Target) -> Mutant:
    return Mutant(special=rnd.choice(["fifo", "folder", "loop", "dangling", "device"]))


def _apply_special(path: Path, special: str) -> None:
    path.unlink()
    if special == "fifo":
        os.mkfifo(path)
    elif special == "folder":
        path.mkdir()
        (path / "inside.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    elif special == "loop":
        path.symlink_to(path)
    elif special == "dangling":
        path.symlink_to(path.with_name("nowhere"))
    else:
        path.symlink_to("/dev/zero")


C = MutationClass
CLASSES: list[MutationClass] = [
    C("truncation", VALID_OR_ERROR, truncate, doc="cut at a random byte"),
    C("byte flips", VALID_OR_ERROR, byte_flip, doc="1-3 bytes flipped or replaced"),
    C("drop a column", ERROR, drop_column, ("csv", "ons"),
      doc="a required column: refused; an optional or ONS name column: valid or refused"),
    C("rename a column", ERROR, rename_column, ("csv", "ons"),
      doc="a typo in a required column name: refused (ONS: valid or refused)"),
    C("add a column", SAME, add_column, ("csv", "ons"),
      doc="an unknown column: the same graph (and a warning naming the closest column)"),
    C("reorder columns", SAME, reorder_columns, ("csv", "ons"), doc="the same graph"),
    C("encodings", ERROR, encoding, doc="UTF-16/32, Latin-1, cp1252: refused (ASCII-only "
      "text in Latin-1 is the same bytes: the same graph)"),
    C("byte-order mark", SAME, bom, doc="a UTF-8 BOM: the same graph (RDF: same or refused)"),
    C("line endings", SAME, line_endings, doc="CRLF, CR, mixed: the same graph"),
    C("quote every field", SAME, quote_all, ("csv", "ons"), doc="the same graph"),
    C("unclosed quote", ERROR, unclosed_quote,
      doc="CSV/TOML: refused, naming the line the quote opened on; RDF: valid or refused"),
    C("huge field", ERROR, huge_field, doc="a value of 5,001 to 1,000,000 characters: refused"),
    C("bad code", ERROR, bad_code, ("csv", "ons", "rdf"),
      doc="a GSS code or UKPRN made invalid (other-script digits, length, case): refused"),
    C("bad date", ERROR, bad_date, ("csv", "rdf"),
      doc="impossible, out-of-range or non-ISO date: refused"),
    C("reversed dates", ERROR, reversed_dates, ("csv",),
      doc="a record (node or link) that ends before it starts: refused"),
    C("bad coordinate", ERROR, bad_coordinate, ("csv", "rdf"),
      doc="NaN, infinite, out of range or non-ASCII number: refused"),
    C("bad URL", ERROR, bad_url, ("csv", "toml"), doc="not http(s): refused"),
    C("control characters", ERROR, control_chars,
      doc="control, bidi or separator character in a name: refused"),
    C("duplicate row", SAME_OR_ERROR, duplicate_row,
      doc="a repeated line: merged (the same graph) or refused (duplicate id, broken syntax)"),
    C("dangling reference", ERROR, dangling_reference, ("csv", "toml", "rdf"),
      doc="a source, body, member or file that does not exist: refused (RDF: an IRI that is "
      "not read gives the same graph)"),
    C("wrong TOML types", ERROR, wrong_type, ("toml",),
      doc="a number, list, table, date or boolean where text is expected: refused"),
    C("deep nesting", VALID_OR_ERROR, deep_nesting, ("toml", "rdf"),
      doc="deeply nested arrays or blank nodes: valid (not read) or refused, never a crash"),
    C("empty input", ERROR, empty, doc="empty, blank or header-only: refused"),
    C("non-regular file", ERROR, non_regular,
      doc="FIFO, folder, link loop, dangling link, device: refused without opening"),
]
# RDF's dangling references may land on a derived triple that is not read
_EXPECT_OVERRIDES = {("dangling reference", "rdf"): SAME_OR_ERROR}


def expectation(cls: MutationClass, target: Target, mutant: Mutant) -> str:
    return mutant.expect or _EXPECT_OVERRIDES.get((cls.name, target.family), cls.expect)


# -- running ------------------------------------------------------------------------------------

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
            _ORIGINALS[target.name] = normalised(outcome.graph)
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
            _apply_special(path, mutant.special)
        else:
            path.write_bytes(mutant.data)
        outcome = run_one(target.call, paths, target.bundled)
        # SHACL where it is cheap: on the small fixtures, not on top of the bundled graph
        verdict = judge(outcome, expectation(cls, target, mutant), original,
                        shacl and not target.bundled)
        detail = outcome.crash or outcome.stderr.strip()[:300]
        if verdict.startswith("wrong") or verdict in ("crash", "hang"):
            sample = mutant.special or mutant.data[:200]
            detail = f"{detail} | input: {sample!r}"
        return verdict, detail


def main(argv: list[str] | None = None) -> int:
    """Long mode: every class on every fixture, ``--per-class`` inputs each; prints counts."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__)
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
