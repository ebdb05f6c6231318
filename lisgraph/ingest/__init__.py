"""Loading: bundled manifests and user files (--data) into one checked KnowledgeGraph."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..assets import loaders_dir
from ..checks import show
from ..csvtable import file_problem, label_of, log, read_bytes, read_header, read_rows, read_text
from ..errors import DataIntegrityError, InputError
from ..evidence.detect import is_evidence_file
from ..graph import KnowledgeGraph
from . import england as _england  # noqa: F401  (registers England-now table kinds)
from . import tables as _tables  # noqa: F401  (registers the table kinds)
from .manifest import Manifest, parse_manifest
from .ons import detect_ons_layout, read_ons_lookup
from .registry import TABLE_KINDS, TableKind

__all__ = ["TABLE_KINDS", "Manifest", "build_quietly", "bundled_manifests", "load_graph",
           "read_manifest"]


class _Readable(Protocol):
    name: str

    def read_bytes(self) -> bytes: ...

    def read_text(self, encoding: str = ...) -> str: ...


@dataclass(frozen=True)
class _Job:
    kind: TableKind | None  # None: an ONS lookup
    file: _Readable
    label: str
    columns: dict[str, str]


def bundled_manifests() -> list[Manifest]:
    """The manifests shipped in loaders/, sorted by file name."""
    root = loaders_dir()
    entries = sorted((p for p in root.iterdir() if p.name.endswith(".toml")), key=lambda p: p.name)
    return [parse_manifest(p.read_text(encoding="utf-8"), f"loaders/{p.name}") for p in entries]


def read_manifest(path: Path) -> Manifest:
    """Read a user's manifest: a regular UTF-8 file holding valid TOML."""
    label = label_of(path)
    return parse_manifest(read_text(path, label, "[[tables]] entries"), label)


def _manifest_jobs(manifest: Manifest, root: _Readable, prefix: str) -> list[_Job]:
    jobs = []
    for i, t in enumerate(manifest.tables, 1):
        f = root.joinpath(t.file)  # type: ignore[attr-defined]
        if isinstance(f, Path):
            problem = file_problem(f)
            if problem:
                raise InputError(manifest.path, None, f"tables[{i}].file",
                                 f"{show(t.file, 200)} {problem[0]}",
                                 "correct the path (relative to the manifest)")
        elif not f.is_file():
            raise InputError(manifest.path, None, f"tables[{i}].file",
                             f"{show(t.file, 200)} does not exist",
                             "correct the path (relative to the manifest)")
        jobs.append(_Job(TABLE_KINDS[t.kind], f, label_of(f"{prefix}{t.file}"), t.columns))
    return jobs


def _detect_kind(path: Path) -> _Job:
    label = label_of(path)
    data = read_bytes(path, label)
    header = read_header(read_text(_Bytes(data), label), label)
    if detect_ons_layout(header):
        return _Job(None, _Bytes(data), label, {})
    stem = path.stem.lower()
    named = [k for k in TABLE_KINDS.values() if stem == k.name or stem.endswith("_" + k.name)]
    fits = named or [k for k in TABLE_KINDS.values() if set(k.required) <= set(header)]
    if len(fits) == 1:
        return _Job(fits[0], _Bytes(data), label, {})
    if not fits:
        best = max(TABLE_KINDS.values(), key=lambda k: len(set(k.required) & set(header)))
        missing = [c for c in best.required if c not in header]
        raise InputError(label, 1, missing[0], "missing column",
                         f"a {best.name} table needs: {', '.join(best.required)} "
                         "(see loaders/FORMAT.md)")
    raise InputError(label, 1, None, f"header fits several tables ({', '.join(k.name for k in fits)})",
                     "name the file after its table (e.g. priorities.csv) or list it in a manifest")


class _Bytes:
    """File contents read once (checked, decoded and parsed from memory)."""

    name = ""

    def __init__(self, data: bytes):
        self.data = data

    def read_bytes(self) -> bytes:
        return self.data

    def read_text(self, encoding: str = "utf-8") -> str:
        return self.data.decode(encoding)


def _path_problem(path: Path) -> tuple[str, str] | None:
    """Why a --data path cannot be read (missing, link to nothing, loop, FIFO, device)."""
    problem = file_problem(path)
    if problem and problem[0].startswith("is a folder"):
        return None
    if problem and problem[0] == "no such file":
        return "no such file or folder", "check the --data path"
    return problem


def _folder_jobs(path: Path) -> list[_Job]:
    jobs: list[_Job] = []
    claimed: set[str] = set()
    try:
        manifests = sorted(path.glob("*.toml"))
    except OSError as exc:
        raise InputError(label_of(path), None, None, f"cannot be read ({exc.strerror})",
                         "check the folder's permissions") from None
    for m in manifests:
        manifest = read_manifest(m)
        jobs += _manifest_jobs(manifest, path, f"{path}/")  # type: ignore[arg-type]
        claimed |= {os.path.realpath(path / t.file) for t in manifest.tables}
    try:
        csv_files = sorted(p for p in path.rglob("*") if p.suffix.lower() == ".csv")
    except OSError as exc:
        raise InputError(label_of(path), None, None, f"cannot be read ({exc.strerror})",
                         "check the folder's permissions") from None
    for csv_path in csv_files:
        if os.path.realpath(csv_path) in claimed:
            continue
        # evidence detection opens the file: only a regular one (a FIFO would block it)
        if file_problem(csv_path) is None and is_evidence_file(csv_path):
            continue
        jobs.append(_detect_kind(csv_path))
    if not jobs:
        raise InputError(label_of(path), None, None, "folder holds no CSV files or manifests",
                         "give the folder that holds your data files (see loaders/FORMAT.md)")
    return jobs


def _user_jobs(paths: Iterable[Path]) -> list[_Job]:
    jobs: list[_Job] = []
    for path in map(Path, paths):
        problem = _path_problem(path)
        if problem:
            raise InputError(label_of(path), None, None, *problem)
        suffix = path.suffix.lower()
        if path.is_dir():
            jobs += _folder_jobs(path)
        elif is_evidence_file(path):
            continue  # read beside the graph by lisgraph.evidence
        elif suffix == ".toml":
            manifest = read_manifest(path)
            jobs += _manifest_jobs(manifest, path.parent, f"{path.parent}/")  # type: ignore[arg-type]
        elif suffix == ".csv":
            jobs.append(_detect_kind(path))
        elif suffix in (".ttl", ".nt", ".jsonld", ".json-ld"):
            from ..rdf.importer import rdf_table_kind  # RDF in lisgraph's vocabulary

            jobs.append(_Job(rdf_table_kind(path), path, label_of(path), {}))
        else:
            raise InputError(label_of(path), None, None, f"cannot read {show(path.suffix)} files",
                             "give CSV files, a folder of them, a manifest (.toml) or RDF "
                             "(.ttl, .nt, .jsonld)")
    return jobs


class _Held(logging.Handler):
    """Holds the loaders' warnings until the graph is built: a failed load prints one line."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def load_graph(data: Iterable[str | Path] = (), bundled: bool = True) -> KnowledgeGraph:
    """Build the graph from the bundled data and/or the user's files.

    Parameters
    ----------
    data : paths to CSV files, folders of them, manifests or RDF files (the ``--data`` option)
    bundled : include the data shipped with lisgraph

    Returns
    -------
    KnowledgeGraph, complete and checked: either every file loads or an error is raised and
    no graph is returned (nothing is half-loaded). Warnings (a column that is not read) go to
    the ``lisgraph`` logger once the graph is built.

    Raises
    ------
    InputError, DataIntegrityError: one line naming the file, line, field and the fix.
    """
    data = list(data)
    if not data and bundled:  # the bundled graph alone: built once per code and data version
        from ..cache import bundled_graph

        return bundled_graph()
    return build_quietly(data, bundled)


def build_quietly(data: list[str | Path], bundled: bool) -> KnowledgeGraph:
    """Build, then pass on the warnings the build logged (held until the graph is whole)."""
    held, propagate = _Held(), log.propagate
    log.addHandler(held)
    log.propagate = False
    try:
        g = _build(data, bundled)
    finally:
        log.removeHandler(held)
        log.propagate = propagate
    for record in held.records:
        log.handle(record)
    return g


def _build(data: list[str | Path], bundled: bool) -> KnowledgeGraph:
    jobs: list[_Job] = []
    if bundled:
        root = loaders_dir()
        for manifest in bundled_manifests():
            jobs += _manifest_jobs(manifest, root, "loaders/")  # type: ignore[arg-type]
    jobs += _user_jobs(data)  # type: ignore[arg-type]
    if not jobs:
        raise DataIntegrityError("no data: drop --no-bundled or give files with --data")
    g = KnowledgeGraph()
    for job in sorted(jobs, key=lambda j: j.kind.phase if j.kind else 3):
        if job.kind is None:
            data_bytes = job.file.read_bytes()
            header = read_header(read_text(_Bytes(data_bytes), job.label), job.label)
            layout = detect_ons_layout(header)
            read_ons_lookup(job.label, data_bytes, layout, g)  # type: ignore[arg-type]
        else:
            job.kind.reader(read_rows(job.file, job.kind.required, job.label, job.columns,
                                      job.kind.optional if job.kind.name != "rdf" else None), g)
    g.finalize()
    g.check()
    return g
