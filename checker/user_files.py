"""Reading the files a user gives besides reports (configuration, waivers, baselines, history,
score weights): one guard where they enter. A regular file only (a FIFO would block, /dev/zero
never ends), of bounded size, in UTF-8, parsed without unbounded nesting or YAML aliases. Every
failure is a UserFileError with the file and what was expected, in Chinese; never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from checker.os_reasons import os_reason

MAX_BYTES = 32 * 1024 * 1024  # a baseline of a large batch is a few MB
MAX_DEPTH = 64  # nesting of lists and mappings: the formats use five


class UserFileError(ValueError):
    pass


def read_text(path: str | Path, what: str, limit: int = MAX_BYTES, legacy: bool = False) -> str:
    """A user's file as text: UTF-8 (a BOM allowed). `legacy`: a file a Chinese Windows program
    saved (Excel's CSV in GBK, Notepad's UTF-16) is read in its own encoding too."""
    from checker.ingest.document import Refused, read_regular

    path = Path(path)
    try:
        data = read_regular(path, limit)
    except Refused as refused:
        raise UserFileError(
            {
                "directory": f"{what} {path} 是目录，不是文件",
                "special": f"{what} {path} 不是普通文件（管道、设备或套接字），未读取",
            }.get(refused.kind, f"{what} {path} 过大（{refused.size} 字节，上限 {limit}）")
        ) from None
    except OSError as error:
        raise UserFileError(f"无法读取{what} {path}：{os_reason(error)}") from None
    if legacy:
        from checker.ingest.encoding import decode

        return decode(data)[0]
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise UserFileError(f"{what} {path} 不是 UTF-8 编码（第 {line} 行有无法解码的字节），请另存为 UTF-8") from None


def _depth_ok(value, limit: int = MAX_DEPTH) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return True


def _shallow_text(text: str, what: str, path) -> None:
    """Refuse deep nesting before a recursive parser sees it (json and tomllib recurse)."""
    depth = deepest = 0
    for ch in text:
        if ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    raise UserFileError(f"{what} {path} 嵌套过深（超过 {MAX_DEPTH} 层）")
        elif ch in "]}":
            depth -= 1


def load_json(path: str | Path, what: str):
    text = read_text(path, what)
    _shallow_text(text, what, path)
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        raise UserFileError(f"{what} {path} 不是有效的 JSON：{error}") from None


def load_toml(path: str | Path, what: str) -> dict:
    import tomllib

    text = read_text(path, what)
    _shallow_text(text, what, path)
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as error:
        raise UserFileError(f"{what} {path}：TOML 语法错误：{error}") from None


def alias_line(text: str) -> int | None:
    """The line of the first YAML anchor or alias (& or *), if any: a few lines of aliases expand
    to billions of items, so files a user gives may not use them."""
    import yaml

    if "*" not in text and "&" not in text:
        return None
    for token in yaml.scan(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        if isinstance(token, (yaml.AliasToken, yaml.AnchorToken)):
            return token.start_mark.line + 1
    return None


def load_yaml(path: str | Path, what: str):
    import yaml

    from checker.resources import parse_yaml as parse  # a user's file is parsed, not cached

    text = read_text(path, what)
    try:
        line = alias_line(text)
        if line:
            raise UserFileError(f"{what} {path} 第 {line} 行：不允许使用 YAML 锚点和别名（& 和 *）")
        data = parse(text)
    except yaml.YAMLError as error:
        raise UserFileError(f"{what} {path} 的 YAML 语法错误：{error}") from None
    except RecursionError:
        raise UserFileError(f"{what} {path} 嵌套过深") from None
    if not _depth_ok(data):
        raise UserFileError(f"{what} {path} 嵌套过深（超过 {MAX_DEPTH} 层）")
    return data
