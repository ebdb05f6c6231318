"""The mutation classes: how a valid fixture is damaged, and what each class must give.

======================  ==========================================================
``error``               a clean error (anything accepted is garbage accepted)
``same``                accepted, and the very graph (or table) the unmutated fixture gives
``same or error``       either of the two (e.g. a repeated row merges or is refused)
``valid or error``      accepted with a graph that passes the checks, or a clean error
======================  ==========================================================

Each class lists the input families it applies to (``csv``, ``ons``, ``toml``, ``rdf``;
evidence: ``ecsv``, ``gz``, ``xlsx``, ``json``); a mutation may decide its own
expectation (``Mutant.expect``) and add a check of what was accepted (``Mutant.check``).
"""

from __future__ import annotations

import csv
import io
import os
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .harness import ERROR, SAME, SAME_OR_ERROR, VALID_OR_ERROR, Target

__all__ = ["CLASSES", "Mutant", "MutationClass", "expectation", "apply_special", "table",
           "untable", "set_cell", "EVIDENCE_REQUIRED"]

#: the columns the evidence layouts cannot do without
EVIDENCE_REQUIRED = frozenset({"areacd", "indicator", "period", "observation", "LADCD", "SIC07",
                               "year", "gva_current_prices_gbp_m"})

@dataclass(frozen=True)
class Mutant:
    """A mutated file: new bytes, or ``special`` (fifo, folder, loop, dangling, device)."""

    data: bytes = b""
    special: str = ""
    expect: str = ""  # overrides the class's expectation when the mutation decides it
    #: what an accepted load must also satisfy: a problem, or None (e.g. a cell kept missing)
    check: Callable[[Any], str | None] | None = field(default=None, compare=False)


Mutator = Callable[[bytes, random.Random, "Target"], "Mutant | None"]


@dataclass(frozen=True)
class MutationClass:
    name: str
    expect: str
    mutate: Mutator
    families: tuple[str, ...] = ("csv", "ons", "toml", "rdf")
    doc: str = field(default="", compare=False)


def table(data: bytes) -> tuple[list[str], list[list[str]], bool]:
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], [r for r in rows[1:] if r], data.startswith(b"\xef\xbb\xbf")


def untable(header: list[str], rows: list[list[str]], bom: bool = False,
             quoting: int = csv.QUOTE_MINIMAL) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=quoting)
    writer.writerow(header)
    writer.writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


def _cells(data: bytes, test: Callable[[str, str], bool]) -> list[tuple[int, int]]:
    header, rows, _ = table(data)
    return [(r, c) for r, row in enumerate(rows) for c, value in enumerate(row)
            if c < len(header) and test(header[c], value)]


def set_cell(data: bytes, rnd: random.Random, test: Callable[[str, str], bool],
              values: Callable[[str, str], str]) -> Mutant | None:
    header, rows, bom = table(data)
    cells = _cells(data, test)
    if not cells:
        return None
    r, c = rnd.choice(cells)
    rows[r][c] = values(header[c], rows[r][c])
    return Mutant(untable(header, rows, bom))


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


GSS_OR_UKPRN = re.compile(r"^(E[0-9]{8}|1[0-9]{7})$")
DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
NAME_COLUMNS = {"name", "label", "title", "publisher", "former_names", "alt_labels", "areanm",
                "indicator", "industry"}
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
    header, rows, bom = table(data)
    c = rnd.randrange(len(header))
    expect = ERROR if _required(header[c], t) else VALID_OR_ERROR
    return Mutant(untable([h for i, h in enumerate(header) if i != c],
                           [[v for i, v in enumerate(r) if i != c] for r in rows], bom),
                  expect=expect)


def _required(column: str, t: Target) -> bool:
    from lisgraph.ingest import TABLE_KINDS

    if t.family == "ecsv":
        return column in EVIDENCE_REQUIRED
    if t.family != "csv":
        return False
    optional = {c for k in TABLE_KINDS.values() for c in k.optional}
    return column not in optional


def rename_column(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    header, rows, bom = table(data)
    c = rnd.randrange(len(header))
    old = header[c]
    header[c] = rnd.choice([old[:-1], old + "s", old.upper() if old.islower() else old.lower(),
                            old[::-1] if len(old) > 1 else old + "x", " " + old + "_"])
    if header[c].strip() == old:
        header[c] = old + "x"
    expect = ERROR if _required(old, t) else VALID_OR_ERROR
    return Mutant(untable(header, rows, bom), expect=expect)


def add_column(data: bytes, rnd: random.Random, t: Target) -> Mutant:
    header, rows, bom = table(data)
    c = rnd.randrange(len(header) + 1)
    name = rnd.choice(["zz_extra", "comment", "Notes", "x"])
    header.insert(c, name)
    for r in rows:
        r.insert(c, rnd.choice(["", "something", "1"]))
    return Mutant(untable(header, rows, bom))


def reorder_columns(data: bytes, rnd: random.Random, t: Target) -> Mutant:
    header, rows, bom = table(data)
    order = list(range(len(header)))
    rnd.shuffle(order)
    return Mutant(untable([header[i] for i in order], [[r[i] for i in order] for r in rows], bom))


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
    choice = rnd.choice(["crlf", "cr", "mixed"] if t.family in ("csv", "ons", "ecsv")
                        else ["crlf"])
    if choice == "crlf":
        return Mutant(lf.replace(b"\n", b"\r\n"))
    if choice == "cr":
        return Mutant(lf.replace(b"\n", b"\r"))
    lines = lf.split(b"\n")
    return Mutant(b"".join(line + rnd.choice([b"\n", b"\r\n"]) for line in lines[:-1]) + lines[-1])


def quote_all(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    header, rows, bom_ = table(data)
    return Mutant(untable(header, rows, bom_, csv.QUOTE_ALL))


def unclosed_quote(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    if t.family in ("csv", "ons", "ecsv"):
        text = data.decode("utf-8-sig")
        starts = [i for i, ch in enumerate(text) if i == 0 or text[i - 1] in ",\n"]
        starts = [i for i in starts if i < len(text) and text[i] not in "\r\n"]
        i = rnd.choice(starts)
        return Mutant((text[:i] + '"' + text[i:]).encode("utf-8"))
    i = rnd.randrange(len(data))
    # RDF, JSON: a quote after a backslash may be an escape, so valid or refused
    return Mutant(data[:i] + b'"' + data[i:],
                  expect=VALID_OR_ERROR if t.family in ("rdf", "json") else "")


def huge_field(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    big = "x" * rnd.choice([5001, 20_000, 140_000, 1_000_000])
    if t.family == "rdf":
        return _replace_literal(data, rnd, RDF_NAMES, lambda v: big)
    if t.family == "toml":
        return Mutant(data.replace(b'"Fuzz fixture', f'"{big}'.encode()))
    return set_cell(data, rnd, lambda h, v: True, lambda h, v: big)


def bad_code(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    if t.family == "rdf":
        return _replace_literal(data, rnd, RDF_CODES, lambda v: _bad_code(v, rnd))
    mutant = set_cell(data, rnd, lambda h, v: bool(GSS_OR_UKPRN.match(v.strip())),
                      lambda h, v: _bad_code(v.strip(), rnd))
    if mutant and t.family == "ecsv" and mutant.data.count(b"E99") > data.count(b"E99"):
        # a well-formed code of no known area: evidence keeps it (nothing joins to it)
        return Mutant(mutant.data, expect=VALID_OR_ERROR)
    return mutant


def bad_date(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    if t.family == "rdf":
        return _replace_literal(data, rnd, RDF_DAYS, lambda v: rnd.choice(BAD_DAYS))
    return set_cell(data, rnd, lambda h, v: bool(DAY.match(v)), lambda h, v: rnd.choice(BAD_DAYS))


def reversed_dates(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    pairs = [("valid_from", "valid_to"), ("established", "ended"), ("established", "abolished")]
    header, rows, b = table(data)
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
        return Mutant(untable(header, rows, b))
    r, a, z = rnd.choice(found)
    rows[r][a], rows[r][z] = rows[r][z], rows[r][a]
    return Mutant(untable(header, rows, b))


def bad_coordinate(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    if t.family == "rdf":
        # every occurrence, so that lis:lat / lis:lon (not only geo:lat) carries it; a bare
        # Turtle number that is no longer a number is a syntax error, also one line
        return _replace_literal(data, rnd, RDF_POINTS, lambda v: rnd.choice(BAD_POINTS),
                                quoted=False)
    return set_cell(data, rnd, lambda h, v: h in ("lat", "lon") and bool(v),
                     lambda h, v: rnd.choice(BAD_POINTS + (BAD_LATITUDES if h == "lat" else [])))


def bad_url(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    if t.family == "rdf":
        return None
    if t.family == "toml":
        return Mutant(data.replace(b"https://example.org/fuzz", rnd.choice(BAD_URLS[:6]).encode()))
    return set_cell(data, rnd, lambda h, v: h in ("url", "evidence_url") and bool(v),
                     lambda h, v: rnd.choice(BAD_URLS))


def control_chars(data: bytes, rnd: random.Random, t: Target) -> Mutant | None:
    char = rnd.choice(BAD_CHARS)
    if t.family == "rdf":
        escaped = f"\\u{ord(char[0]):04X}"
        return _replace_literal(data, rnd, RDF_NAMES, lambda v: v[:2] + escaped + v[2:])
    if t.family == "toml":
        return Mutant(data.replace(b"Fuzz fixture", f"Fuzz{char}fixture".encode()))
    return set_cell(data, rnd, lambda h, v: (h in NAME_COLUMNS or h.endswith("NM")) and bool(v),
                     lambda h, v: v[: len(v) // 2] + char + v[len(v) // 2:])


def duplicate_row(data: bytes, rnd: random.Random, t: Target) -> Mutant:
    lines = data.splitlines(keepends=True)
    if not lines[-1].endswith((b"\n", b"\r")):
        lines[-1] += b"\n"
    first = 1 if t.family in ("csv", "ons", "ecsv") else 0
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
    header = table(data)[0]
    if "id" in header and "publisher" in header:  # the sources table: what others cite
        return set_cell(data, rnd, lambda h, v: h == "id", lambda h, v: "nosuch")
    return set_cell(data, rnd, lambda h, v: h in REF_COLUMNS and bool(v),
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
    if t.family == "json":
        return Mutant(data.replace(b'"_note"', b'"deep": ' + b"[" * depth + b"]" * depth
                                   + b', "_note"', 1))
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
    choice = rnd.choice(["empty", "blank", "header"] if t.family in ("csv", "ons", "ecsv")
                        else ["empty", "blank"])
    if choice == "empty":
        return Mutant(b"")
    if choice == "blank":
        return Mutant(b" \n\r\n\t\n")
    return Mutant(data.splitlines(keepends=True)[0])


def non_regular(data: bytes, rnd: random.Random, t: Target) -> Mutant:
    return Mutant(special=rnd.choice(["fifo", "folder", "loop", "dangling", "device"]))


def apply_special(path: Path, special: str) -> None:
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
ALL = ("csv", "ons", "toml", "rdf")
CLASSES: list[MutationClass] = [
    C("truncation", VALID_OR_ERROR, truncate, ALL + ("ecsv", "xlsx", "json", "gz"),
      doc="cut at a random byte"),
    C("byte flips", VALID_OR_ERROR, byte_flip, ALL + ("ecsv", "xlsx", "json", "gz"),
      doc="1-3 bytes flipped or replaced"),
    C("drop a column", ERROR, drop_column, ("csv", "ons", "ecsv"),
      doc="a required column: refused; an optional or ONS name column: valid or refused"),
    C("rename a column", ERROR, rename_column, ("csv", "ons", "ecsv"),
      doc="a typo in a required column name: refused (ONS: valid or refused)"),
    C("add a column", SAME, add_column, ("csv", "ons", "ecsv"),
      doc="an unknown column: the same graph or table (graph tables: and a warning "
      "naming the closest column)"),
    C("reorder columns", SAME, reorder_columns, ("csv", "ons", "ecsv"), doc="the same graph"),
    C("encodings", ERROR, encoding, ALL + ("ecsv", "json"),
      doc="UTF-16/32, Latin-1, cp1252: refused (ASCII-only "
      "text in Latin-1 is the same bytes: the same graph)"),
    C("byte-order mark", SAME, bom, ALL + ("ecsv", "json"),
      doc="a UTF-8 BOM: the same graph (RDF: same or refused)"),
    C("line endings", SAME, line_endings, ALL + ("ecsv", "json"),
      doc="CRLF, CR, mixed: the same graph"),
    C("quote every field", SAME, quote_all, ("csv", "ons", "ecsv"), doc="the same graph"),
    C("unclosed quote", ERROR, unclosed_quote, ALL + ("ecsv", "json"),
      doc="CSV/TOML: refused, naming the line the quote opened on; RDF: valid or refused"),
    C("huge field", ERROR, huge_field, ALL + ("ecsv",),
      doc="a value of 5,001 to 1,000,000 characters: refused"),
    C("bad code", ERROR, bad_code, ("csv", "ons", "rdf", "ecsv"),
      doc="a GSS code or UKPRN made invalid (other-script digits, length, case): refused"),
    C("bad date", ERROR, bad_date, ("csv", "rdf"),
      doc="impossible, out-of-range or non-ISO date: refused"),
    C("reversed dates", ERROR, reversed_dates, ("csv",),
      doc="a record (node or link) that ends before it starts: refused"),
    C("bad coordinate", ERROR, bad_coordinate, ("csv", "rdf"),
      doc="NaN, infinite, out of range or non-ASCII number: refused"),
    C("bad URL", ERROR, bad_url, ("csv", "toml"), doc="not http(s): refused"),
    C("control characters", ERROR, control_chars, ALL + ("ecsv",),
      doc="control, bidi or separator character in a name: refused"),
    C("duplicate row", SAME_OR_ERROR, duplicate_row, ALL + ("ecsv", "json"),
      doc="a repeated line: merged (the same graph) or refused (duplicate id, broken syntax)"),
    C("dangling reference", ERROR, dangling_reference, ("csv", "toml", "rdf"),
      doc="a source, body, member or file that does not exist: refused (RDF: an IRI that is "
      "not read gives the same graph)"),
    C("wrong TOML types", ERROR, wrong_type, ("toml",),
      doc="a number, list, table, date or boolean where text is expected: refused"),
    C("deep nesting", VALID_OR_ERROR, deep_nesting, ("toml", "rdf", "json"),
      doc="deeply nested arrays or blank nodes: valid (not read) or refused, never a crash"),
    C("empty input", ERROR, empty, ALL + ("ecsv", "xlsx", "json", "gz"),
      doc="empty, blank or header-only: refused"),
    C("non-regular file", ERROR, non_regular, ALL + ("ecsv", "xlsx", "json", "gz"),
      doc="FIFO, folder, link loop, dangling link, device: refused without opening"),
]
# RDF's dangling references may land on a derived triple that is not read
_EXPECT_OVERRIDES = {("dangling reference", "rdf"): SAME_OR_ERROR}


def expectation(cls: MutationClass, target: Target, mutant: Mutant) -> str:
    return mutant.expect or _EXPECT_OVERRIDES.get((cls.name, target.family), cls.expect)

