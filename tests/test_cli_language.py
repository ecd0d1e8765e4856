"""The command line speaks one language: Click's usage errors, the help option, panel titles and
the operating system's reasons are said in Chinese like every other message."""

from __future__ import annotations

import errno

import pytest

from checker.os_reasons import os_reason
from conftest import EXAMPLES, run_cli

# what Click and Typer say in English, any of which in our output means a message was not said
ENGLISH = (
    "Usage:",
    "Try '",
    "Error",
    "Missing",
    "No such",
    "Invalid value",
    "is not a valid",
    "is not one of",
    "is not in the range",
    "requires an argument",
    "unexpected extra",
    "Show this message",
    "Options",
    "Arguments",
    "Commands",
    "[default",
    "[required]",
    "Possible options",
    "does not exist",
)

WIDE = {"COLUMNS": "300"}  # rich wraps at the terminal width: one line a message

BAD = [
    (["check"], "缺少参数 'paths'"),
    (["check", "r.md", "--nope"], "没有选项 --nope"),
    (["check", "r.md", "--year", "abc"], "'abc' 不是整数"),
    (["check", "r.md", "--year", "1800"], "1800 不在允许的范围"),
    (["check", "r.md", "--format", "pdf"], "'pdf' 不是可选的值；可选："),
    (["check", "r.md", "--year"], "选项 '--year' 需要一个值"),
    (["nocommand"], "没有命令 'nocommand'"),
    (["explain"], "缺少参数 'code'"),
    (["template"], "缺少选项 '--year'"),
    (["template", "--year", "2024", "extra"], "多余的参数：extra"),
    (["--nope"], "没有选项 --nope"),
]


@pytest.mark.parametrize("args,said", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_usage_errors_are_said_in_chinese(args, said):
    run = run_cli(*args, env=WIDE)
    err = run.stderr.decode()
    assert run.returncode == 2, err
    assert said in err, err
    assert "用法：" in err and "查看帮助" in err
    assert not [word for word in ENGLISH if word in err], err


@pytest.mark.parametrize(
    "command",
    [[], ["check"], ["audit"], ["parse"], ["rules"], ["explain"], ["template"], ["config"], ["serve"], ["completion"]],
    ids=lambda c: " ".join(c) or "xxgk",
)
def test_every_help_is_in_chinese(command):
    run = run_cli(*command, "--help", env=WIDE)
    out = run.stdout.decode()
    assert run.returncode == 0, run.stderr
    assert "显示此帮助并退出" in out and "用法：" in out
    assert not [word for word in ENGLISH if word in out], out


def test_a_file_that_cannot_be_read_says_why_in_chinese(tmp_path):
    from checker.pipeline import check_path

    (finding,) = check_path(tmp_path / "gone.md").findings
    assert finding.code == "E001" and finding.message == "无法读取该文件：文件或目录不存在"


def test_a_check_that_cannot_write_its_output_says_why_in_chinese(tmp_path):
    run = run_cli("check", EXAMPLES / "clean-2021.md", "-o", tmp_path / "no-such-folder" / "out.json")
    err = run.stderr.decode()
    assert run.returncode == 2 and "文件或目录不存在" in err and "No such file" not in err, err


def test_every_os_reason_is_chinese_and_unknown_ones_keep_their_number():
    assert os_reason(FileNotFoundError(errno.ENOENT, "No such file or directory")) == "文件或目录不存在"
    assert os_reason(PermissionError(errno.EACCES, "Permission denied")) == "没有访问权限"
    odd = os_reason(OSError(errno.ECHILD, "No child processes"))
    assert "ECHILD" in odd and odd.startswith("系统错误")
