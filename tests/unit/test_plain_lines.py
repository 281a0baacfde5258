"""render.cells.Lines writes short styled text as Rich would, without loading Rich: the same breaks
between words, the same folding of long words by cells (CJK two), the same colour codes."""

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console, Group
from rich.text import Text

from fupin_cli.render.cells import Lines

_CHARS = st.sampled_from(list("ab1-: 　注意年，。（）→日期暂定") + ["2026-11-26", " 个工作日 ", "fupin cal import "])
_SPAN = st.tuples(st.lists(_CHARS, min_size=1, max_size=12).map("".join), st.sampled_from(["", "bold", "yellow", "bold red", "dim"]))


def _rich(lines: tuple[tuple[tuple[str, str], ...], ...], width: int, color: bool) -> list[str]:
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=color, color_system="standard" if color else None,
                      highlight=False, soft_wrap=False)  # fmt: skip
    texts = []
    for spans in lines:
        text = Text()
        for part, style in spans:
            text.append(part, style=style)
        texts.append(text)
    console.print(Group(*texts), end="")
    return out.getvalue().split("\n")[:-1]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_SPAN, min_size=1, max_size=6).map(tuple), min_size=1, max_size=3), st.integers(4, 90), st.booleans())
def test_lines_render_as_rich_renders_the_same_text(lines, width, color) -> None:
    assert Lines(*lines).render(width, color=color) == _rich(tuple(lines), width, color)


def test_a_deadline_line_keeps_its_bold_date() -> None:
    line = (("2026-11-26 起 10 个工作日 → ", ""), ("2026-12-10", "bold"), ("（星期四）", ""))
    assert Lines(line).render(80, color=True) == ["2026-11-26 起 10 个工作日 → \x1b[1m2026-12-10\x1b[0m（星期四）"]
    assert Lines(line).render(80, color=False) == ["2026-11-26 起 10 个工作日 → 2026-12-10（星期四）"]
