"""Hostile and broken input: every case ends with a finding or a clear exit-2 message, in
bounded time and memory, without a traceback, and the input file is never modified."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import zipfile

import pytest

from checker.pipeline import check_bytes
from conftest import EXAMPLES

LIMIT_SECONDS = 20  # a generous bound: a hang, not a slow machine, is what this catches


def _cap_memory():
    """The child's memory is capped, so a bomb fails loudly instead of taking the machine."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 ** 3, 3 * 1024 ** 3))


def run_cli(*args, stdin: bytes | None = None):
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "checker", "check", *map(str, args), "--format", "concise"],
                         capture_output=True, input=stdin, timeout=LIMIT_SECONDS * 3,
                         preexec_fn=_cap_memory if sys.platform.startswith("linux") else None)
    return run, time.perf_counter() - start


def assert_handled(run, seconds, codes=("E001", "E003")):
    err = run.stderr.decode("utf-8", "replace")
    out = run.stdout.decode("utf-8", "replace")
    assert "Traceback" not in err and "Traceback" not in out, err
    assert run.returncode in (0, 1, 2), (run.returncode, err)
    assert seconds < LIMIT_SECONDS
    if codes and run.returncode == 1:
        assert any(code in out for code in codes), out


def _docx_with(document_xml: bytes, extra: dict | None = None) -> bytes:
    with zipfile.ZipFile(EXAMPLES / "clean-2021.docx") as source:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                data = document_xml if item.filename == "word/document.xml" else source.read(item)
                target.writestr(item, data)
            for name, data in (extra or {}).items():
                target.writestr(name, data)
    return buffer.getvalue()


CASES = {
    "random.txt": os.urandom(20000),
    "random.pdf": b"%PDF-1.7\n" + os.urandom(20000),
    "random.docx": b"PK\x03\x04" + os.urandom(20000),
    "random.html": b"<html>" + os.urandom(20000),
    "empty.md": b"",
    "blank.txt": b"   \n\n \t\n",
    "truncated.docx": (EXAMPLES / "clean-2021.docx").read_bytes()[:3000],
    "text-as.pdf": "这不是PDF文件".encode(),
    "html-as.docx": b"<html><body>not a word file</body></html>",
    "pdf-bytes.txt": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" * 50,
    "unknown.xyz": b"hello",
    "nul-utf16.txt": "一、总体情况\n".encode("utf-16-le"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_files_give_a_finding(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(CASES[name])
    run, seconds = run_cli(path)
    assert_handled(run, seconds)


def test_docx_zip_bomb_is_refused_quickly(tmp_path):
    bomb = _docx_with(b"<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'><w:body>"
                      + b"<w:p><w:r><w:t>" + b"0" * (400 * 1024 * 1024) + b"</w:t></w:r></w:p></w:body></w:document>")
    assert len(bomb) < 2 * 1024 * 1024
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb)
    run, seconds = run_cli(path)
    assert_handled(run, seconds)
    assert run.returncode == 1 and "E001" in run.stdout.decode()


def test_docx_with_entity_expansion_is_not_expanded(tmp_path):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lolololololololololol">'
              + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                         for i in range(1, 10))
              + b"]><w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'><w:body>"
              + b"<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")
    path = tmp_path / "laughs.docx"
    path.write_bytes(_docx_with(laughs))
    run, seconds = run_cli(path)
    assert_handled(run, seconds)


def test_html_with_entity_expansion_and_deep_nesting(tmp_path):
    laughs = (b'<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
              b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><html><body><p>&c;&c;&c;</p></body></html>')
    (tmp_path / "laughs.html").write_bytes(laughs)
    (tmp_path / "deep.html").write_bytes(b"<html><body>" + b"<div>" * 200_000 + "一、总体情况".encode()
                                         + b"</div>" * 200_000 + b"</body></html>")
    for name in ("laughs.html", "deep.html"):
        run, seconds = run_cli(tmp_path / name)
        assert_handled(run, seconds, codes=())


def test_a_100_mb_file_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.seek(100 * 1024 * 1024)
        handle.write(b"\n")
    run, seconds = run_cli(path)
    assert_handled(run, seconds)
    assert run.returncode == 1 and "过大" in run.stdout.decode()


def test_one_long_line_of_text_is_bounded(tmp_path):
    line = ("一、总体情况本年度收到申请12件。" + "我局认真贯彻落实条例，" * 40 + "二、主动公开政府信息情况") * 800
    path = tmp_path / "long.txt"
    path.write_text(line, encoding="utf-8")
    run, seconds = run_cli(path)
    assert_handled(run, seconds, codes=())


def test_gbk_labelled_utf8_is_still_read(tmp_path):
    text = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    page = ('<html><head><meta charset="utf-8"></head><body>'
            + "".join(f"<p>{line.lstrip('# ')}</p>" for line in text.splitlines() if not line.startswith("|"))
            + "</body></html>")
    path = tmp_path / "gbk.html"
    path.write_bytes(page.encode("gbk"))
    result = check_bytes(path.read_bytes(), str(path))
    assert result.facts and result.facts.agency == "云溪县人民政府"


def test_a_folder_of_thousands_of_files(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    data = (EXAMPLES / "clean-2008.md").read_bytes()
    for i in range(2000):
        (folder / f"{i:04d}.md").write_bytes(data)
    run, seconds = run_cli(folder)
    assert_handled(run, seconds * 0.5, codes=())  # 2,000 reports: allow twice the single-file bound
    assert run.returncode == 0


def test_input_files_are_never_modified(tmp_path):
    path = tmp_path / "report.md"
    path.write_bytes((EXAMPLES / "defective-2021.md").read_bytes())
    path.chmod(0o444)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    run, _ = run_cli(path)
    assert run.returncode == 1
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_a_directory_given_as_stdin_filename_and_missing_paths_exit_2(tmp_path):
    run, _ = run_cli(tmp_path / "missing.md")
    assert run.returncode == 2 and "不存在" in run.stderr.decode()
