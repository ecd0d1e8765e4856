"""Every file the tool writes is written atomically: into a temporary file in the same folder,
flushed to disk, then renamed over the target. On a full disk, an error or an interrupt the
earlier good copy stays and no truncated file is left behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


class OutputError(OSError):
    """An output the tool must not or cannot write (the message says why, in Chinese)."""


def umask() -> int:
    """The process's umask (reading it means setting it: put straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def replacing(path: str | Path, keep_mode: str | Path | None = None):
    """A temporary path beside `path`; when the block ends without error it replaces `path`.
    For writers that want a file name (openpyxl, python-docx). The new file gets the mode of
    `keep_mode` (or of the file it replaces): a 0600 draft stays 0600."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    os.close(handle)
    try:
        yield Path(temp)
        with open(temp, "rb+") as stream:
            os.fsync(stream.fileno())
        os.chmod(temp, _mode(keep_mode or target))  # mkstemp makes 0600: the file is the user's
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _mode(existing: Path | str) -> int:
    """The mode of the file being replaced, else what an ordinary write makes (0666 less umask)."""
    try:
        return os.stat(existing).st_mode & 0o7777
    except OSError:
        return 0o666 & ~umask()


def write_atomic(
    path: str | Path, content: str | bytes, encoding: str = "utf-8", keep_mode: str | Path | None = None
) -> None:
    data = content.encode(encoding) if isinstance(content, str) else content
    with replacing(path, keep_mode) as temp:
        with open(temp, "wb") as stream:
            stream.write(data)


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name one file (through links and relative parts)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def refuse_overwriting_inputs(outputs, inputs) -> None:
    """An output path that is one of the inputs is refused before anything is read or written."""
    existing = [i for i in inputs if i != "-"]
    for output in outputs:
        if output is None:
            continue
        for given in existing:
            if same_file(output, given):
                raise OutputError(f"输出文件 {output} 就是被检查的文件 {given}，拒绝覆盖；请换一个输出路径")
