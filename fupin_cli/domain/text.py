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
