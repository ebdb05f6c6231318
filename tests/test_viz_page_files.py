"""`viz --out`: the page is written through lisgraph.files.atomic_write, with the guarantees
of the exports (issue 17): a regular file replaced atomically, non-regular targets refused, temp
files cleaned on every exit path (and those of killed runs), write failures one line, text that
is not valid Unicode written as escaped bytes."""

from __future__ import annotations

import errno
import os
import subprocess
import sys

import pytest

from lisgraph.files import OutputError
from lisgraph.viz.page import write_page

PAGE = "<!DOCTYPE html><html><body>Caf\u00e9 map</body></html>"


def names(folder):
    return sorted(p.name for p in folder.iterdir())


def test_a_regular_file_is_replaced_keeping_its_permissions(tmp_path):
    out = tmp_path / "map.html"
    out.write_text("old")
    out.chmod(0o640)
    assert write_page(PAGE, out) == out
    assert out.read_text(encoding="utf-8") == PAGE
    assert out.stat().st_mode & 0o777 == 0o640
    assert names(tmp_path) == ["map.html"]  # no temporary file left


def test_a_symbolic_link_is_refused_and_its_target_kept(tmp_path):
    target = tmp_path / "real.html"
    target.write_text("mine")
    link = tmp_path / "map.html"
    link.symlink_to(target)
    with pytest.raises(OutputError, match="map.html: is a symbolic link"):
        write_page(PAGE, link)
    assert link.is_symlink() and target.read_text() == "mine"
    assert names(tmp_path) == ["map.html", "real.html"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes (POSIX)")
def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "map.html"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="is a device, FIFO or socket"):
        write_page(PAGE, fifo)  # would block forever if it were opened


def test_a_folder_and_a_missing_folder_are_refused(tmp_path):
    (tmp_path / "map.html").mkdir()
    with pytest.raises(OutputError, match="map.html: is a folder"):
        write_page(PAGE, tmp_path / "map.html")
    with pytest.raises(OutputError, match="no such folder"):
        write_page(PAGE, tmp_path / "missing" / "map.html")


def test_a_write_failure_is_one_line_and_keeps_the_previous_page(tmp_path, monkeypatch):
    out = tmp_path / "map.html"
    out.write_text("previous")
    real_fsync = os.fsync

    def full(fd):  # the disk fills up while the page is flushed
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputError) as info:
        write_page(PAGE, out)
    monkeypatch.setattr(os, "fsync", real_fsync)
    message = str(info.value)
    assert "\n" not in message and "map.html: cannot write: no space left on device" in message
    assert out.read_text() == "previous" and names(tmp_path) == ["map.html"]


def test_temporary_files_of_killed_runs_are_removed(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    stale = tmp_path / f".map.html.lisgraph-{proc.pid}-0123abcd.tmp"
    stale.write_text("half a page")
    write_page(PAGE, tmp_path / "map.html")
    assert names(tmp_path) == ["map.html"]


def test_text_that_is_not_valid_unicode_is_written_as_escaped_bytes(tmp_path):
    out = write_page("<p>LAD18\udcff.csv</p>", tmp_path / "map.html")
    assert out.read_bytes().decode("utf-8") == "<p>LAD18\\xff.csv</p>"


def test_a_non_utf8_file_name_is_shown_as_bytes_in_the_one_line(tmp_path):
    folder = tmp_path / "nowhere\udcff"
    with pytest.raises(OutputError) as info:
        write_page(PAGE, folder / "map.html")
    message = str(info.value)
    assert "nowhere\\xff: no such folder" in message
    message.encode("utf-8")  # valid UTF-8: printable on any terminal


def test_cli_refuses_a_link_with_one_line(cli, tmp_path):
    pytest.importorskip("pyvis")
    target = tmp_path / "real.html"
    target.write_text("mine")
    (tmp_path / "map.html").symlink_to(target)
    code, _, err = cli("viz", "E08000003", "--out", str(tmp_path / "map.html"))
    assert code == 1 and err.count("\n") == 1 and "is a symbolic link" in err
    assert target.read_text() == "mine"
