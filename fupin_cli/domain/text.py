"""What the office types as text: one line (names, titles, reasons) or a free text (a report, a finding).

Neither may carry control characters, which would garble listings, messages and terminals.
"""

from fupin_cli.domain.errors import InvalidInputError

MAX_NAME_CHARS = 60
MAX_TEXT_CHARS = 2000


def single_line(
    text: str | None, *, what: str, required: bool = False, limit: int = MAX_NAME_CHARS
) -> str | None:
    cleaned = (text or "").strip()
    if not cleaned:
        if required:
            raise InvalidInputError(f"{what}不能为空")
        return None
    if any(not ch.isprintable() for ch in cleaned):
        raise InvalidInputError(f"{what}只能是一行文字，不能含换行或控制字符")
    if len(cleaned) > limit:
        raise InvalidInputError(f"{what}过长（{len(cleaned)} 字，最多 {limit} 字）")
    return cleaned


def free_text(text: str | None, *, what: str, limit: int = MAX_TEXT_CHARS) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise InvalidInputError(f"{what}不能为空")
    if any(not ch.isprintable() and ch not in "\n\r\t" for ch in cleaned):
        raise InvalidInputError(f"{what}含有控制字符")
    if len(cleaned) > limit:
        raise InvalidInputError(f"{what}过长（{len(cleaned)} 字，最多 {limit} 字）")
    return cleaned


_OPENING = frozenset("“‘")
_CLOSING = frozenset("”’")


def plain_quotes(text: str) -> str:
    """ASCII double quotes in pairs written as Chinese ones: 落实"两不愁" → 落实“两不愁”."""
    parts = text.split('"')
    if len(parts) % 2 == 0:  # an odd number of quotes: leave them as typed
        return text
    return "".join(part if index % 2 == 0 else f"“{part}”" for index, part in enumerate(parts))


def nest_quotes(text: str) -> str:
    """Quotation marks nested by the rule of GB/T 15834: “…‘…’…”, and “ again a level further in.

    Both kinds of Chinese quotes count as one nesting; each mark is rewritten for its depth, so
    “核查“两不愁”落实” becomes “核查‘两不愁’落实”. Unbalanced closing marks are left as they are.
    """
    out: list[str] = []
    depth = 0
    for character in text:
        if character in _OPENING:
            out.append("“" if depth % 2 == 0 else "‘")
            depth += 1
        elif character in _CLOSING and depth > 0:
            depth -= 1
            out.append("”" if depth % 2 == 0 else "’")
        else:
            out.append(character)
    return "".join(out)


# --- text leaving fupin: a terminal or an error line never obeys a control character ----------------


def _escaped(char: str) -> str:
    special = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if char in special:
        return special[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _is_control(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or 0x7F <= code < 0xA0 or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with every control character (C0, DEL, C1, bidi overrides) shown escaped."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(
        _escaped(char) if _is_control(char) and not (keep_newlines and char == "\n") else char for char in text
    )
