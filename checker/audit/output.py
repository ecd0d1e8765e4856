"""The audit owns its output folder. It is built in a fresh temporary folder beside the target
and moved into place only when complete; the folder is marked with a manifest of the files the
audit wrote, so a re-run may replace them; a folder holding anything else is refused (unless
--force, and then only the audit's own files are replaced); symlinks are never followed."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from checker import __version__
from checker.safe_write import OutputError, umask

MANIFEST = ".xxgk-audit.json"


def _manifest(folder: Path) -> set[str]:
    path = folder / MANIFEST
    if path.is_symlink() or not path.is_file():
        return set()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    files = data.get("files") if isinstance(data, dict) and data.get("tool") == "xxgk-checker" else None
    return {f for f in files if isinstance(f, str)} if isinstance(files, list) else set()


def _entries(folder: Path, base: Path | None = None):
    """Every file, link and special entry below `folder`, relative, without following links."""
    base = base or folder
    with os.scandir(folder) as it:
        for entry in it:
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                yield from _entries(path, base)
            else:
                yield path.relative_to(base).as_posix()


def foreign(folder: Path) -> list[str]:
    """What in `folder` the audit did not write (by its manifest)."""
    if not folder.exists():
        return []
    ours = _manifest(folder) | {MANIFEST}
    return sorted(name for name in _entries(folder) if name not in ours)


def check_target(folder: Path, force: bool) -> None:
    """Refuse, before any work, an output folder the audit must not write into."""
    if folder.is_symlink():
        raise OutputError(f"输出目录 {folder} 是符号链接，审计不跟随链接写入；请指定一个真实目录")
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} 已存在且不是目录")
    others = foreign(folder) if folder.exists() else []
    if others and not force:
        shown = "、".join(others[:3]) + (f" 等 {len(others)} 项" if len(others) > 3 else "")
        raise OutputError(
            f"输出目录 {folder} 中有不是审计生成的文件（{shown}），为免覆盖未写入；"
            "请换一个空目录，或加 --force（只替换审计自己的文件，其余文件保留）"
        )


def our_files(folder: Path) -> set[Path]:
    """The files an earlier audit wrote below `folder` (never read back as reports)."""
    out: set[Path] = set()
    for manifest in folder.rglob(MANIFEST):
        root = manifest.parent
        out |= {(root / name).resolve() for name in _manifest(root)}
    return out


@contextlib.contextmanager
def staging(folder: Path, force: bool = False):
    """A fresh folder beside `folder` to write the audit into; moved into place on success,
    removed on any error or interrupt (the earlier audit, if any, stays as it was)."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.xxgk-", dir=folder.parent))
    try:
        yield temp
        _publish(temp, folder, force)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def _publish(temp: Path, folder: Path, force: bool) -> None:
    written = sorted(_entries(temp))
    (temp / MANIFEST).write_text(
        json.dumps({"tool": "xxgk-checker", "version": __version__, "files": written}, ensure_ascii=False, indent=1)
        + "\n",
        encoding="utf-8",
    )
    os.chmod(temp, 0o777 & ~umask())  # mkdtemp makes 0700; the audit is for others to read too
    check_target(folder, force)  # again: the folder may have changed while the batch ran
    if not folder.exists():
        os.rename(temp, folder)
        return
    if not foreign(folder):  # ours: swap the whole folder, so no stale page of an earlier run stays
        trash = Path(tempfile.mkdtemp(prefix=f".{folder.name}.xxgk-old-", dir=folder.parent))
        os.rename(folder, trash / folder.name)
        os.rename(temp, folder)
        shutil.rmtree(trash, ignore_errors=True)
        return
    # --force into a folder that holds other files: replace only the audit's own files
    stale = _manifest(folder) - set(written)
    for name in [*written, MANIFEST]:
        target = folder / name
        for parent in reversed(target.relative_to(folder).parents):
            step = folder / parent
            if step.is_symlink():
                raise OutputError(f"{step} 是符号链接，审计不跟随链接写入")
            step.mkdir(exist_ok=True)
        os.replace(temp / name, target)
    for name in stale:
        target = folder / name
        if target.is_file() and not target.is_symlink():
            target.unlink()
