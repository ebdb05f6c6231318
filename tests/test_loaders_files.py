"""Inputs that are not regular files, empty inputs and awkward file names: one line, exit 1,
never a hang."""

from __future__ import annotations

import pytest

from .loader_inputs import load_error, write_set


def test_symlink_loop_and_dangling_link_are_one_line(tmp_path):
    loop = tmp_path / "loop.csv"
    loop.symlink_to(loop)
    assert "symbolic link loop" in load_error([loop])
    dangling = tmp_path / "gone.csv"
    dangling.symlink_to(tmp_path / "nowhere.csv")
    assert "symbolic link to nothing" in load_error([dangling])


def test_link_loop_inside_a_data_folder_is_refused(tmp_path):
    folder = write_set(tmp_path)
    (folder / "partners.csv").symlink_to(folder / "partners.csv")
    message = load_error([folder])
    assert "partners.csv" in message and "loop" in message


def test_folder_named_like_a_csv_file_is_refused(tmp_path):
    folder = write_set(tmp_path)
    (folder / "extra.csv").mkdir()
    assert "extra.csv: is a folder, not a file" in load_error([folder])


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs named pipes (POSIX)")
def test_fifo_is_refused_without_blocking(tmp_path):
    import os

    fifo = tmp_path / "districts.csv"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer forever
    assert "is a named pipe, not a regular file" in load_error([fifo])
    (tmp_path / "set").mkdir()
    folder = write_set(tmp_path / "set")
    os.unlink(folder / "regions.csv")
    os.mkfifo(folder / "regions.csv")
    assert "regions.csv: is a named pipe" in load_error([folder])


def test_device_is_refused(tmp_path):
    link = tmp_path / "zero.csv"
    link.symlink_to("/dev/zero")  # reading it would never end
    assert "is a device, not a regular file" in load_error([link])


def test_empty_inputs_are_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    assert "folder holds no CSV files or manifests" in load_error([tmp_path / "empty"])
    (tmp_path / "blank.csv").write_text("\n\n  \n", encoding="utf-8")
    assert "file is empty" in load_error([tmp_path / "blank.csv"])
    (tmp_path / "only.toml").write_text("", encoding="utf-8")
    assert "file is empty" in load_error([tmp_path / "only.toml"])


# -- the command line and file names: one line on stderr, exit 1, never a hang --------------------

@pytest.mark.slow
def test_cli_refuses_a_fifo_with_one_line_and_exit_1(tmp_path):
    import os
    import subprocess
    import sys

    fifo = tmp_path / "partners.csv"
    os.mkfifo(fifo)
    proc = subprocess.run([sys.executable, "-m", "lisgraph", "--data", str(fifo), "info"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        f"Error: {fifo}: is a named pipe, not a regular file — save the data to a file and give that"]


def test_control_characters_in_a_file_name_stay_on_one_line(tmp_path):
    path = tmp_path / "bad\nname.csv"
    path.write_text("", encoding="utf-8")
    message = load_error([path])
    assert "bad\\nname.csv" in message


def test_a_file_name_that_is_not_utf8_is_shown_as_bytes(tmp_path):
    import os

    name = os.fsdecode(b"caf\xe9.csv")
    (tmp_path / name).write_text("", encoding="utf-8")
    message = load_error([tmp_path / name])
    assert "caf\\xe9.csv: file is empty" in message
    message.encode("utf-8")  # printable on any terminal: no lone surrogates
