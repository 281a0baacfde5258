"""Plain-text help that wraps Chinese by display width, so --help fits the terminal and starts fast.

Typer's Rich help pulls in Markdown and syntax highlighting (about 0.12 s on every start); the plain
formatter below needs none of it. Chinese characters take two columns, and a line never begins
with closing punctuation (，。、；：）」》 and the like).
"""

import re
import unicodedata
from typing import Any

from typer._click.core import Context
from typer._click.formatting import HelpFormatter, iter_rows, measure_table

_NO_LINE_START = set("，。、；：？！）」』》〕】,.;:?!)")


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _tokens(text: str) -> list[str]:
    """Latin words and spaces stay whole; every wide character is a token of its own."""
    tokens: list[str] = []
    word = ""
    for char in text:
        if char == " " or _is_wide(char):
            if word:
                tokens.append(word)
                word = ""
            tokens.append(char)
        else:
            word += char
    if word:
        tokens.append(word)
    return tokens


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _join(lines: list[str]) -> str:
    """A paragraph's lines as one: Chinese runs on without a space, Latin words get one."""
    joined = ""
    for line in (line.strip() for line in lines):
        if joined and line and not (_is_wide(joined[-1]) or _is_wide(line[0])):
            joined += " "
        joined += line
    return joined


def wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    paragraphs = [_join(block.split("\n")) for block in text.replace("\b", "").split("\n\n")]
    for number, paragraph in enumerate(paragraphs):
        if number:
            lines.append("")
        line, used = "", 0
        for token in _tokens(" ".join(paragraph.split())):
            size = display_width(token)
            fits = used + size <= width or token[0] in _NO_LINE_START
            if fits or not line:
                if token == " " and not line:
                    continue
                line, used = line + token, used + size
                continue
            lines.append(line.rstrip())
            line, used = ("", 0) if token == " " else (token, size)
        lines.append(line.rstrip())
    return lines


class WideHelpFormatter(HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, metavars_in_chinese(args), "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_HEADINGS.get(heading, heading)}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        for line in wrap(text, max(self.width - self.current_indent, 20)):
            self.write(f"{indent}{line}\n" if line else "\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:  # type: ignore[no-untyped-def]
        rows = [(metavars_in_chinese(first), help_in_chinese(second)) for first, second in rows]
        widths = measure_table(rows)
        first_width = max((display_width(first) for first, _ in rows), default=0)
        first_col = min(first_width, col_max) + col_spacing
        for first, second in iter_rows(rows, len(widths)):
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if display_width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - display_width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap(second, max(self.width - first_col - self.current_indent - 1, 16))
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")




# --- The framework's own words, in Chinese -------------------------------------------------------
# The command-line framework writes a few English strings of its own: the usage line, section
# headings, the help option, "[default: …]", and its usage errors. They are put into Chinese here,
# in one place, when they are shown; nothing else in fupin needs to know about them.

_HEADINGS = {"Options": "选项", "Arguments": "参数", "Commands": "命令"}

# Metavars as a clerk reads them. Names not listed (and Chinese ones) are shown as written.
METAVARS = {
    "DATE": "日期",
    "NO": "编号",
    "UNIT": "单位",
    "U": "单位",
    "Y": "年度",
    "YYYY": "年度",
    "YYYY-MM": "年月",
    "S": "状态",
    "TEXT": "文字",
    "TITLE": "标题",
    "FILE": "文件",
    "FILE.docx": "文件.docx",
    "FILE.csv": "文件.csv",
    "PATH": "路径",
    "DIR": "目录",
    "URL_OR_PATH": "路径或地址",
    "KIND": "类别",
    "WHO": "人员",
    "QUERY": "关键词",
    "PHASE": "阶段",
    "ID": "编号",
    "FINDING_ID": "问题编号",
    "DUTY_NO": "职责编号",
    "T": "类型",
    "K": "类别",
    "D": "天数",
    "INTEGER": "整数",
    "FLOAT": "数值",
    "OPTIONS": "选项",
    "COMMAND": "命令",
    "ARGS": "参数",
}

_METAVAR = re.compile(r"(?<![\w.-])[A-Z][A-Za-z_0-9.-]*(?![\w])")
_RANGE = re.compile(r"<(?:int|float) range>|\[(?P<range>(?:\d+(?:\.\d+)?<=?)?x(?:[<>]=?\d+(?:\.\d+)?)?)\]")


def metavars_in_chinese(text: str) -> str:
    """INTEGER, DATE, [OPTIONS] and the like as Chinese words; choices and option names untouched."""
    text = re.sub(r"<int range>", "整数", re.sub(r"<float range>", "数值", text))
    return _METAVAR.sub(lambda match: METAVARS.get(match.group(0), match.group(0)), text)


def _range_in_chinese(found: "re.Match[str]") -> str:
    described = found.group(1).replace("x", "").replace(">=", "≥").replace("<=", "≤")
    return f"[{described}]"


def help_in_chinese(text: str) -> str:
    """The framework's additions to an option's help: default, required, range, the help option."""
    text = text.replace("Show this message and exit.", "显示帮助并退出。")
    text = re.sub(r"\[default: ([^\]]*)\]", r"[默认：\1]", text)
    text = re.sub(r"\[env var: ([^\]]*)\]", r"[环境变量：\1]", text)
    text = text.replace("[required]", "[必填]")
    return re.sub(r"\[(x[<>]=?[\d.]+|[\d.]+<=?x<=?[\d.]+)\]", _range_in_chinese, text)


def _hint(names: object) -> str:
    if names is None:
        return ""
    if isinstance(names, str):
        return metavars_in_chinese(names.replace("'", ""))
    return " / ".join(metavars_in_chinese(str(name)) for name in names)  # type: ignore[attr-defined]


def _param_hint(error: Any) -> str:
    if getattr(error, "param_hint", None) is not None:
        return _hint(error.param_hint)
    param = getattr(error, "param", None)
    if param is None:
        return ""
    if param.param_type_name == "argument" or not param.opts:  # an argument by its metavar (编号), not its name
        return metavars_in_chinese(param.human_readable_name)
    return " / ".join(param.opts)


def _quoted_list(text: str) -> str:
    return "、".join(part.strip().strip("'\"") for part in text.split(","))


def _kind(name: str) -> str:
    for english, chinese in (("int", "整数"), ("float", "数值"), ("bool", "「是／否」"), ("uuid", "有效的编号")):
        if english in name:
            return chinese
    return "有效的值"


def value_message_in_chinese(message: str) -> str:
    """What a parameter type says about a value it cannot take."""
    rules: list[tuple[str, Any]] = [
        (r"^(?P<v>.+?) is not one of (?P<c>.+)\.$", lambda m: f"{m['v']} 不是可选的值，可选：{_quoted_list(m['c'])}"),
        (r"^(?P<v>.+?) is not a valid (?P<t>[\w ]+)\b.*$", lambda m: f"{m['v']} 不是{_kind(m['t'])}"),
        (
            r"^(?P<v>.+?) is not in the range (?P<r>.+?)\.?$",
            lambda m: f"{m['v']} 超出范围（须 {m['r'].replace('x', '').replace('>=', '≥').replace('<=', '≤')}）",
        ),
        (r"^(?P<v>.+?) does not match the formats (?P<f>.+)\.$", lambda m: f"{m['v']} 不是有效的格式"),
        (r"^Takes (?P<n>\d+) values but (?P<g>\d+) given\.$", lambda m: f"须给 {m['n']} 个值，实际给了 {m['g']} 个"),
        (r"^Value must be an iterable\.$", lambda m: "须给一组值"),
    ]
    for pattern, build in rules:
        found = re.match(pattern, message, re.S)
        if found:
            return str(build(found))
    return message


def _suggest(typo: str, names: list[str]) -> str:
    from difflib import get_close_matches

    close = get_close_matches(typo, names, n=3, cutoff=0.5)
    return f"。您是不是要：{'、'.join(close)}？" if close else ""


def error_in_chinese(error: Any) -> str:
    """One Chinese sentence for any usage error the framework raises."""
    from typer._click import exceptions as ex

    ctx = getattr(error, "ctx", None)
    if isinstance(error, ex.MissingParameter):
        hint = _param_hint(error)
        param = error.param
        kind = "参数" if param is not None and param.param_type_name == "argument" else "选项"
        text = f"缺少{kind} {hint}" if hint else f"缺少{kind}"
        choices = getattr(getattr(param, "type", None), "choices", None)
        if choices:
            text += "，可选：" + "、".join(str(getattr(c, "value", c)) for c in choices)
        return text
    if isinstance(error, ex.BadParameter):
        hint = _param_hint(error)
        value = value_message_in_chinese(error.message)
        return f"{hint} 的值无效：{value}" if hint else f"值无效：{value}"
    if isinstance(error, ex.NoSuchOption):
        text = f"没有 {error.option_name} 这个选项"
        if error.possibilities:
            text += f"。您是不是要：{'、'.join(sorted(error.possibilities))}？"
        return text
    message = error.format_message()
    found = re.match(r"No such command (['\"])(?P<name>.*?)\1\.", message, re.S)
    if found:
        name = found["name"]
        names = ctx.command.list_commands(ctx) if ctx is not None else []
        return f"没有「{name}」这个命令{_suggest(name, names)}"
    rules: list[tuple[str, Any]] = [
        (r"^Missing command\.$", lambda m: "缺少命令"),
        (r"^Got unexpected extra arguments? \((?P<a>.*)\)$", lambda m: f"多余的参数：{m['a']}"),
        (r"^Option (?P<o>.+?) requires an argument\.?$", lambda m: f"选项 {m['o'].strip(chr(39))} 须给一个值"),
        (r"^Option (?P<o>.+?) requires (?P<n>\d+) arguments\.?$", lambda m: f"选项 {m['o'].strip(chr(39))} 须给 {m['n']} 个值"),
        (r"^Option (?P<o>.+?) does not take a value\.$", lambda m: f"选项 {m['o'].strip(chr(39))} 不带值"),
        (r"^Argument (?P<a>.+?) takes (?P<n>\d+) values\.$", lambda m: f"参数 {m['a']} 须给 {m['n']} 个值"),
    ]
    for pattern, build in rules:
        found = re.match(pattern, message, re.S)
        if found:
            return str(build(found))
    return message


def _show_usage_error(self: Any, file: Any = None) -> None:
    from typer._click._compat import get_text_stderr
    from typer._click.utils import echo

    file = file if file is not None else get_text_stderr()
    ctx = self.ctx
    if ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = f"查看帮助：{ctx.command_path} {ctx.help_option_names[0]}\n"
        echo(f"{ctx.get_usage()}\n{hint}", file=file, color=ctx.color)
    echo(f"错误：{error_in_chinese(self)}", file=file, color=getattr(ctx, "color", None))


def _show_error(self: Any, file: Any = None) -> None:
    from typer._click._compat import get_text_stderr
    from typer._click.utils import echo

    echo(f"错误：{self.format_message()}", file=file if file is not None else get_text_stderr())


def install() -> None:
    import typer.core
    from typer._click import exceptions

    # Plain help and errors whatever the import order (Rich's panels print the framework's English).
    typer.core.HAS_RICH = False

    Context.formatter_class = WideHelpFormatter
    exceptions.UsageError.show = _show_usage_error  # type: ignore[method-assign]
    exceptions.ClickException.show = _show_error  # type: ignore[method-assign]
