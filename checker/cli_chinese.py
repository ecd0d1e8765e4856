"""The command line in one language: Click's (Typer's) own words — usage errors, the help
option, panel titles, "Usage:" — said in Chinese like the rest of the tool. Typer 0.28 carries
its own copy of Click with the gettext calls taken out, so nothing can be translated by a
catalogue: usage errors are reworded from the exception's fields (what option, which parameter,
which value) as they pass our group and commands, and the few fixed words are set where help and
errors are drawn."""

from __future__ import annotations

import re

from typer.core import TyperCommand, TyperGroup

HELP = "显示此帮助并退出"
USAGE = "用法："

# the fixed words Typer's rich output draws (module constants it reads when it draws)
_RICH_WORDS = {
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "ABORTED_TEXT": "已中止。",
    "RICH_HELP": "运行 [blue]{command_path} {help_option}[/] 查看帮助。",
    "DEFAULT_STRING": "[默认：{}]",
    "ENVVAR_STRING": "[环境变量：{}]",
    "REQUIRED_LONG_STRING": "[必填]",
    "DEPRECATED_STRING": "（已弃用）",
}

_USAGE_PIECES = {
    "[OPTIONS]": "[选项]",
    "COMMAND [ARGS]...": "命令 [参数]...",
    "COMMAND": "命令",
    "[ARGS]...": "[参数]...",
}

# what Click says of a value it could not take, and the same in Chinese
_VALUE_WORDS = [
    (r"^(.+?) is not a valid int(?:eger)?(?: range)?\.$", r"\1 不是整数"),
    (r"^(.+?) is not a valid float(?: range)?\.$", r"\1 不是数字"),
    (r"^(.+?) is not a valid boolean\..*$", r"\1 不是是/否值（true、false、1、0）"),
    (r"^(.+?) is not a valid UUID\.$", r"\1 不是有效的 UUID"),
    (r"^(.+?) is not a valid (.+)\.$", r"\1 不是有效的 \2"),
    (r"^(.+?) is not in the range (.+)\.$", r"\1 不在允许的范围 \2 内"),
    (r"^(?:File|Directory|Path) (.+?) does not exist\.$", r"文件或目录 \1 不存在"),
    (r"^(?:File|Directory|Path) (.+?) is a directory\.$", r"\1 是目录，不是文件"),
    (r"^(?:File|Directory|Path) (.+?) is a file\.$", r"\1 是文件，不是目录"),
    (r"^(?:File|Directory|Path) (.+?) is not readable\.$", r"\1 不可读"),
    (r"^(?:File|Directory|Path) (.+?) is not writable\.$", r"\1 不可写"),
    (r"^(.+?) does not match the formats? (.+)\.$", r"\1 不符合格式 \2"),
    (r"^(.+?) is not one of (.+)\.$", r"\1 不是可选的值；可选：\2"),
    (r"^(.+?) is not (.+)\.$", r"\1 不是可选的值；可选：\2"),
]

# what Click says of the command line as a whole
_USAGE_WORDS = [
    (r"^Got unexpected extra arguments?(?:\(s\))? \((.*)\)$", r"多余的参数：\1"),
    (r"^No such command (.+)\.$", r"没有命令 \1；xxgk --help 列出全部命令"),
    (r"^Missing command\.?$", "缺少命令；xxgk --help 列出全部命令"),
    (r"^Option (.+?) requires an argument\.$", r"选项 \1 需要一个值"),
    (r"^Option (.+?) requires (\d+) arguments\.$", r"选项 \1 需要 \2 个值"),
    (r"^Option (.+?) does not take a value\.$", r"选项 \1 不接受值"),
    (r"^Argument (.+?) takes (\d+) values\.$", r"参数 \1 需要 \2 个值"),
    (r"^Takes (\d+) values but (\d+) (?:was|were) given\.$", r"需要 \1 个值，实际给了 \2 个"),
]


def _reworded(text: str, table) -> str | None:
    # the patterns are compiled only when an error is said, never on a start
    for pattern, replacement in table:
        if re.match(pattern, text, re.S):
            return re.sub(pattern, replacement, text, count=1, flags=re.S)
    return None


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def chinese_message(error) -> str:
    """The usage error's message in Chinese, from its fields; a message already in Chinese (our
    own checks raise those) is kept."""
    kind = type(error).__name__
    ctx = getattr(error, "ctx", None)
    param = getattr(error, "param", None)
    if kind == "NoSuchOption":
        name = error.option_name
        close = getattr(error, "possibilities", None)
        return f"没有选项 {name}" + (f"（是否想用 {'、'.join(close)}？）" if close else "")
    if kind == "MissingParameter":
        what = getattr(error, "param_type", None) or (param.param_type_name if param else "parameter")
        hint = param.get_error_hint(ctx) if param is not None and ctx is not None else ""
        return {"argument": "缺少参数", "option": "缺少选项"}.get(what, "缺少参数") + (f" {hint}" if hint else "")
    message = error.format_message() if kind != "BadParameter" else error.message
    if kind == "BadParameter":
        hint = error.param_hint or (param.get_error_hint(ctx) if param is not None and ctx is not None else "")
        said = message if _has_cjk(message) else (_reworded(message, _VALUE_WORDS) or message)
        return f"{hint} 的值无效：{said}" if hint else f"值无效：{said}"
    if _has_cjk(message):
        return message
    return _reworded(message, _USAGE_WORDS) or f"命令行有误：{message}"


def _rich_words() -> None:
    """Set Typer's drawn words (imported only when help or an error is drawn: rich costs a start)."""
    try:
        from typer import rich_utils
    except ImportError:  # without rich, Click's plain output: its usage prefix is ours already
        return
    for name, text in _RICH_WORDS.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, text)


def _usage_error_class(error):
    return next(c for c in type(error).__mro__ if c.__name__ == "UsageError")


class _Chinese:
    """Mixed into our Typer group and commands: the help option, the usage line and usage errors
    in Chinese."""

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP
        return option

    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix=USAGE)

    def collect_usage_pieces(self, ctx):
        return [_USAGE_PIECES.get(piece, piece) for piece in super().collect_usage_pieces(ctx)]

    def format_help(self, ctx, formatter):
        _rich_words()
        return super().format_help(ctx, formatter)

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except Exception as error:  # noqa: BLE001 - only usage errors are reworded
            reworded = _chinese(error, ctx)
            if reworded is error:
                raise
            raise reworded from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except Exception as error:  # noqa: BLE001 - only usage errors are reworded
            reworded = _chinese(error, ctx)
            if reworded is error:
                raise
            raise reworded from None


def _chinese(error: Exception, ctx) -> Exception:
    """The usage error reworded (with the context it arose in, so that the usage line is shown);
    any other exception as it is."""
    names = {c.__name__ for c in type(error).__mro__}
    if "UsageError" not in names or type(error).__name__ == "NoArgsIsHelpError" or getattr(error, "_chinese", False):
        return error
    _rich_words()
    reworded = _usage_error_class(error)(chinese_message(error), getattr(error, "ctx", None) or ctx)
    reworded._chinese = True
    return reworded


class ChineseGroup(_Chinese, TyperGroup):
    pass


class ChineseCommand(_Chinese, TyperCommand):
    pass
