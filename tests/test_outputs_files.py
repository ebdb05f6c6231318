"""--out is safe (issue 17, item 3): atomic files, guarded folders (marker file), no links or
devices, killed runs cleaned up or restored, every write failure one line."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("pyoxigraph")

from lisgraph.files import MARKER, OutputError, atomic_write, recover, write_folder  # noqa: E402
from lisgraph.rdf.export import ExportError, export  # noqa: E402

from .test_rdf_export import ISSUED, toy_graph  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def toy():
    return toy_graph()


@pytest.fixture
def toy_cli(cli, toy):
    """The CLI on the toy graph (set directly: no loader involved)."""
    from lisgraph import cli as cli_module

    def run(*args: str):
        cli_module.state._graph = None
        original = cli_module._State.graph
        cli_module._State.graph = lambda self: toy  # type: ignore[method-assign]
        try:
            return cli("--no-bundled", *args)
        finally:
            cli_module._State.graph = original  # type: ignore[method-assign]

    return run


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- folders: empty, an earlier export (marker), or refused ------------------------------------

def test_folder_export_writes_a_marker_listing_its_files(toy, tmp_path):
    out = tmp_path / "neo4j"
    export(toy, "csv", out)
    marker = json.loads((out / MARKER).read_text())
    assert sorted(marker["files"]) == sorted(n for n in names(out) if n != MARKER)
    assert "IMPORT.txt" in marker["files"] and marker["generator"].startswith("lisgraph")


def test_empty_folder_is_written(toy, tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    export(toy, "csv", out)
    assert "nodes_District.csv" in names(out)


def test_a_folder_holding_import_txt_is_not_taken_for_an_export(toy, tmp_path, toy_cli):
    """The IMPORT.txt bug: a user's folder with a file of that name was deleted whole."""
    mine = tmp_path / "work"
    mine.mkdir()
    (mine / "IMPORT.txt").write_text("my notes")
    (mine / "thesis.docx").write_bytes(b"years of work")
    code, stdout, err = toy_cli("export", "-f", "csv", "-o", str(mine))
    assert code == 1 and stdout == "" and err.count("\n") == 1 and "is not a lisgraph export" in err
    assert "--force" in err
    assert names(mine) == ["IMPORT.txt", "thesis.docx"]
    assert (mine / "thesis.docx").read_bytes() == b"years of work"


def test_a_forged_or_broken_marker_is_refused(toy, tmp_path):
    out = tmp_path / "x"
    out.mkdir()
    (out / MARKER).write_text("not json")
    (out / "data.csv").write_text("mine")
    with pytest.raises(ExportError, match="marker is unreadable"):
        export(toy, "csv", out)
    (out / MARKER).write_text(json.dumps({"files": ["other.csv"]}))
    with pytest.raises(ExportError, match="'data.csv', which the earlier lisgraph export"):
        export(toy, "csv", out)
    assert (out / "data.csv").read_text() == "mine"


def test_a_listed_name_replaced_by_a_folder_is_refused(toy, tmp_path):
    out = tmp_path / "neo4j"
    export(toy, "csv", out)
    (out / "sources.csv").unlink()
    (out / "sources.csv").mkdir()
    (out / "sources.csv" / "keep.txt").write_text("mine")
    with pytest.raises(ExportError, match="'sources.csv' is no longer the file"):
        export(toy, "csv", out)
    assert (out / "sources.csv" / "keep.txt").read_text() == "mine"


def test_force_replaces_a_foreign_folder_but_never_the_current_folder(toy, tmp_path, toy_cli,
                                                                      monkeypatch):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "old.txt").write_text("x")
    code, _, _ = toy_cli("export", "-f", "csv", "-o", str(mine), "--force")
    assert code == 0 and "old.txt" not in names(mine) and "IMPORT.txt" in names(mine)
    monkeypatch.chdir(mine)
    with pytest.raises(ExportError, match="is the current folder or holds it"):
        export(toy, "csv", Path("."), force=True)
    with pytest.raises(ExportError, match="is the current folder or holds it"):
        export(toy, "csv", tmp_path, force=True)
    assert "IMPORT.txt" in names(mine)


# -- what is never written through: links, devices, FIFOs, folders for files -------------------

def test_symlink_targets_are_refused_and_left_alone(toy, tmp_path, toy_cli):
    target = tmp_path / "real.ttl"
    target.write_text("keep")
    link = tmp_path / "link.ttl"
    link.symlink_to(target)
    code, _, err = toy_cli("export", "-o", str(link))
    assert code == 1 and "is a symbolic link" in err and err.count("\n") == 1
    assert link.is_symlink() and target.read_text() == "keep"
    folder_link = tmp_path / "neo4j-link"
    (tmp_path / "real-folder").mkdir()
    folder_link.symlink_to(tmp_path / "real-folder")
    with pytest.raises(ExportError, match="is a symbolic link"):
        export(toy, "csv", folder_link)
    dangling = tmp_path / "dangling.nt"
    dangling.symlink_to(tmp_path / "nowhere.nt")
    with pytest.raises(ExportError, match="is a symbolic link"):
        export(toy, "nt", dangling)
    assert not (tmp_path / "nowhere.nt").exists()


def test_devices_are_refused(toy, toy_cli):
    code, _, err = toy_cli("export", "-f", "nt", "-o", "/dev/null")
    assert code == 1 and "device, FIFO or socket" in err
    assert Path("/dev/null").is_char_device()
    code, _, err = toy_cli("export", "-f", "nt", "-o", "/dev/stdout")  # a link to the terminal
    assert code == 1 and "symbolic link" in err


def test_fifo_is_refused_without_blocking(toy, tmp_path):
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    with pytest.raises(ExportError, match="device, FIFO or socket"):
        export(toy, "ttl", fifo)
    assert fifo.is_fifo()


def test_folder_for_a_file_and_file_for_a_folder_are_refused(toy, tmp_path):
    (tmp_path / "g.ttl").mkdir()
    with pytest.raises(ExportError, match="is a folder — give a file name"):
        export(toy, "ttl", tmp_path / "g.ttl")
    (tmp_path / "neo4j").write_text("a file")
    with pytest.raises(ExportError, match="is a file — give a folder name"):
        export(toy, "csv", tmp_path / "neo4j")
    assert (tmp_path / "neo4j").read_text() == "a file"


def test_existing_file_is_replaced_atomically_keeping_its_permissions(toy, tmp_path):
    out = tmp_path / "g.nt"
    out.write_text("old")
    out.chmod(0o640)
    export(toy, "nt", out)
    assert out.read_text().startswith("<") and (out.stat().st_mode & 0o777) == 0o640
    assert names(tmp_path) == ["g.nt"]


# -- write failures: one line, previous output kept, nothing left behind -----------------------

def _enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("fmt, name", [("nt", "g.nt"), ("ttl", "g.ttl"), ("jsonld", "g.jsonld"),
                                       ("graphml", "g.graphml"), ("csv", "g.zip")])
def test_disk_full_is_one_line_and_keeps_the_previous_file(toy_cli, tmp_path, monkeypatch, fmt,
                                                           name):
    out = tmp_path / name
    out.write_bytes(b"previous export")
    monkeypatch.setattr(os, "fsync", _enospc)  # where a full disk surfaces on delayed allocation
    code, stdout, err = toy_cli("export", "-f", fmt, "-o", str(out))
    assert code == 1 and stdout == ""
    assert err == f"Error: {out}: cannot write: no space left on device — free some space or " \
                  "choose another --out\n"
    assert out.read_bytes() == b"previous export" and names(tmp_path) == [name]


def test_disk_full_while_writing_a_folder_keeps_the_previous_export(toy, toy_cli, tmp_path,
                                                                    monkeypatch):
    out = tmp_path / "neo4j"
    export(toy, "csv", out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    import lisgraph.files as files

    written = []
    real = files._write_synced

    def fills_up(path, content):
        if len(written) == 2:
            _enospc()
        written.append(path.name)
        real(path, content)

    monkeypatch.setattr(files, "_write_synced", fills_up)
    code, _, err = toy_cli("export", "-f", "csv", "-o", str(out))
    assert code == 1 and "no space left on device" in err and err.count("\n") == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert names(tmp_path) == ["neo4j"]


def test_permission_denied_is_one_line(toy_cli, tmp_path, monkeypatch):
    real_open = os.open

    def denied(path, flags, *args, **kwargs):  # creating files is denied, reading is not
        if ".lisgraph-" in os.fspath(path) and flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    code, _, err = toy_cli("export", "-o", str(tmp_path / "g.ttl"))
    assert code == 1 and err.count("\n") == 1
    assert "g.ttl: cannot write: permission denied — choose a folder you can write to" in err
    code, _, err = toy_cli("export", "-f", "csv", "-o", str(tmp_path / "neo4j"))
    assert code == 1 and "permission denied" in err
    assert names(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_folder_is_one_line(toy_cli, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        code, _, err = toy_cli("export", "-o", str(folder / "g.ttl"))
    finally:
        folder.chmod(0o700)
    assert code == 1 and "permission denied" in err


def test_missing_parent_folder_is_one_line_before_loading(cli, tmp_path, monkeypatch):
    import lisgraph.cache as cache
    import lisgraph.ingest as ingest

    monkeypatch.setattr(ingest, "load_graph", lambda *a, **k: pytest.fail("graph was loaded"))
    monkeypatch.setattr(cache, "bundled_graph", lambda: pytest.fail("graph was loaded"))
    code, _, err = cli("export", "-o", str(tmp_path / "missing" / "g.ttl"))
    assert code == 1 and "no such folder" in err


# -- killed runs: cleaned by the next one, or the previous export restored ---------------------

def _child(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          check=False, timeout=120)


def test_kill_between_the_renames_keeps_the_previous_export_and_the_next_run_restores_it(
        toy, tmp_path):
    out = tmp_path / "neo4j"
    export(toy, "csv", out)
    (out / "nodes_District.csv").write_text("previous")
    child = _child(f"""
import os, lisgraph.files as files
from tests.test_rdf_export import toy_graph
from lisgraph.rdf.export import export
real, calls = os.replace, []
def replace(src, dst):
    calls.append(dst)
    if len(calls) == 2:  # the old export is aside, the new one not yet in place
        os._exit(9)
    real(src, dst)
files.os.replace = replace
export(toy_graph(), "csv", {str(out)!r})
""")
    assert child.returncode == 9, child.stderr
    assert not out.exists()
    aside = [p for p in tmp_path.iterdir() if p.name.endswith(".old")]
    assert len(aside) == 1 and (aside[0] / "nodes_District.csv").read_text() == "previous"
    partial = [f"removed {p.name}" for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert recover(out) == [f"restored {out} from {aside[0].name}", *partial]
    assert (out / "nodes_District.csv").read_text() == "previous" and names(tmp_path) == ["neo4j"]


def test_next_export_after_a_kill_restores_then_replaces(toy, tmp_path):
    out = tmp_path / "neo4j"
    export(toy, "csv", out)
    dead = _dead_pid()
    os.replace(out, tmp_path / f".neo4j.lisgraph-{dead}-0123abcd.old")
    (tmp_path / f".neo4j.lisgraph-{dead}-89abcdef.tmp").mkdir()
    export(toy, "csv", out)  # the restored export carries its marker: replaced
    assert names(tmp_path) == ["neo4j"] and (out / MARKER).is_file()


def test_leftover_of_a_finished_kill_is_removed_when_the_new_export_is_in_place(toy, tmp_path):
    out = tmp_path / "neo4j"
    export(toy, "csv", out)
    old = tmp_path / f".neo4j.lisgraph-{_dead_pid()}-0123abcd.old"
    old.mkdir()
    (old / "nodes_District.csv").write_text("older")
    assert recover(out) == [f"removed {old.name}"]
    assert names(tmp_path) == ["neo4j"]


def test_leftovers_of_running_processes_and_other_files_are_left_alone(tmp_path):
    out = tmp_path / "g.nt"
    live = tmp_path / f".g.nt.lisgraph-{os.getppid()}-0123abcd.tmp"  # our parent still runs
    other = tmp_path / f".h.nt.lisgraph-{_dead_pid()}-0123abcd.tmp"  # another target's
    mine = tmp_path / ".g.nt.notes.tmp"  # not lisgraph's pattern
    for p in (live, other, mine):
        p.write_text("x")
    assert recover(out) == []
    assert names(tmp_path) == sorted(p.name for p in (live, other, mine))


def test_sigterm_while_writing_cleans_up_and_keeps_the_previous_file(tmp_path):
    out = tmp_path / "g.nt"
    out.write_text("previous export\n")
    proc = subprocess.Popen([sys.executable, "-c", f"""
import time
from lisgraph.files import atomic_write
with atomic_write({str(out)!r}) as f:
    f.write(b"half")
    f.flush()
    print("writing", flush=True)
    time.sleep(60)
"""], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline() == "writing\n"
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 128 + signal.SIGTERM
    assert out.read_text() == "previous export\n" and names(tmp_path) == ["g.nt"]


def test_killed_zip_export_is_cleaned_by_the_next(toy, tmp_path):
    out = tmp_path / "neo4j.zip"
    stale = tmp_path / f".neo4j.zip.lisgraph-{_dead_pid()}-0123abcd.tmp"
    stale.write_bytes(b"PK half a zip")
    export(toy, "csv", out)
    assert names(tmp_path) == ["neo4j.zip"] and zipfile.is_zipfile(out)


def _dead_pid() -> int:
    """The id of a process that has finished."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(proc.pid, 0)
        except ProcessLookupError:
            return proc.pid
        time.sleep(0.01)
    pytest.skip("could not find a finished process id")


# -- text that is not valid Unicode: a non-UTF-8 source file name ------------------------------

def _surrogate_graph():
    from lisgraph.model import Node, Source

    g = toy_graph()
    g.add_source(Source("file-lad18", "ONS", "LAD18\udcff.csv (ONS lookup)",
                        "file:///data/LAD18\udcff.csv", "2018", "OGL-UK-3.0"))
    g.add_node(Node("E06000099", "district", "Caf\udce9 District", ("file-lad18",)))
    return g


@pytest.mark.parametrize("fmt, name", [("nt", "g.nt"), ("ttl", "g.ttl"), ("jsonld", "g.jsonld"),
                                       ("graphml", "g.graphml"), ("gexf", "g.gexf"),
                                       ("csv", "g.zip")])
def test_non_utf8_file_names_are_written_as_escaped_bytes(tmp_path, fmt, name):
    out = tmp_path / name
    export(_surrogate_graph(), fmt, out, issued=ISSUED)
    if fmt == "csv":
        text = zipfile.ZipFile(out).read("sources.csv").decode("utf-8")
        assert "LAD18\\xff.csv (ONS lookup)" in text
        assert "Caf\\xe9 District" in zipfile.ZipFile(out).read("nodes_District.csv").decode()
        return
    text = out.read_bytes().decode("utf-8")  # valid UTF-8
    if fmt in ("nt", "ttl", "jsonld"):
        import pyoxigraph as ox

        fmt_ox = {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE,
                  "jsonld": ox.RdfFormat.JSON_LD}[fmt]
        values = {t.object.value for t in ox.parse(out.read_bytes(), fmt_ox)}
        assert "LAD18\\xff.csv (ONS lookup)" in values
        assert "file:///data/LAD18%FF.csv" in values
    else:
        assert "Caf\\xe9 District" in text


def test_non_utf8_file_names_reach_listings_and_sparql_without_traceback(cli, tmp_path):
    from lisgraph import cli as cli_module

    g = _surrogate_graph()
    original = cli_module._State.graph
    cli_module._State.graph = lambda self: g  # type: ignore[method-assign]
    try:
        code, out, _ = cli("info")
        assert code == 0 and "file-lad18" in out
        code, out, _ = cli("sparql", "SELECT ?t WHERE { ?s dcterms:title ?t } ORDER BY ?t",
                           "-f", "csv")
        assert code == 0 and "LAD18\\xff.csv (ONS lookup)" in out
        code, _, err = cli("export", "-o", str(tmp_path / "g.ttl"))
        assert code == 0 and "wrote" in err
        code, out, _ = cli("info", "-f", "json")
        titles = {s["id"]: s["title"] for s in json.loads(out)["sources"]}
        assert code == 0 and titles["file-lad18"] == "LAD18\\xff.csv (ONS lookup)"
    finally:
        cli_module._State.graph = original  # type: ignore[method-assign]


def test_atomic_write_failure_inside_the_block_keeps_nothing(tmp_path):
    out = tmp_path / "a.txt"
    with pytest.raises(OutputError, match="a.txt: cannot write: no space left"), \
            atomic_write(out) as f:
        f.write(b"partial")
        _enospc()
    assert names(tmp_path) == []
    with pytest.raises(ValueError):
        write_folder(tmp_path / "x", {"../escape": b""})
    assert names(tmp_path) == []


def test_stdout_that_refuses_surrogates_gets_valid_utf8(monkeypatch):
    """A UTF-8 locale makes stdout strict: undecodable file-name bytes must not crash it."""
    import io

    from lisgraph.cli import emit
    from lisgraph.output import render_json, render_rows

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", errors="strict", write_through=True)
    monkeypatch.setattr(sys, "stdout", stream)
    emit(render_json({"title": "LAD18\udcff.csv", "odd": "\ud800"}))
    emit(render_rows([{"title": "LAD18\udcff.csv"}], ["title"], "csv"))
    emit("heading LAD18\udcff.csv\n")
    text = raw.getvalue().decode("utf-8")
    assert json.loads(text[:text.index("}") + 1]) == {"title": "LAD18\\xff.csv", "odd": "\ufffd"}
    assert text.endswith("title\nLAD18\\xff.csv\nheading LAD18\\xff.csv\n")
