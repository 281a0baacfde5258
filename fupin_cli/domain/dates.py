"""Reading the date forms the office types: 2026-03-01, 2026/3/1, 20260301, 2026年3月1日, 3月1日, 今天."""

import re
from datetime import date, timedelta

from fupin_cli.domain.errors import InvalidInputError

_FULL_WIDTH = str.maketrans("０１２３４５６７８９／－．", "0123456789/-.")
_RELATIVE = {"今天": 0, "今日": 0, "明天": 1, "昨天": -1}
_FORMS = (
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日?"),
    re.compile(r"(?P<m>\d{1,2})月(?P<d>\d{1,2})日?"),
)


def parse_date(text: str, *, today: date) -> date:
    """Read a date the way a clerk writes it; `today` answers 今天 and years left out."""
    cleaned = text.strip().translate(_FULL_WIDTH)
    if cleaned in _RELATIVE:
        return today + timedelta(days=_RELATIVE[cleaned])
    for form in _FORMS:
        match = form.fullmatch(cleaned)
        if match is None:
            continue
        parts = match.groupdict()
        year = int(parts.get("y") or today.year)
        try:
            return date(year, int(parts["m"]), int(parts["d"]))
        except ValueError:
            break
    raise InvalidInputError(f"无法识别的日期「{_shorten(text)}」：请写成 2026-03-01、2026年3月1日 或 今天")


def format_chinese(day: date) -> str:
    """2026年10月16日, as official documents write it."""
    return f"{day.year}年{day.month}月{day.day}日"


def _shorten(text: str, limit: int = 40) -> str:
    printable = "".join(ch if ch.isprintable() else "?" for ch in text)
    return printable if len(printable) <= limit else printable[:limit] + "…"


def check_step_day(on: date, *, today: date, after: date | None = None, after_what: str = "上一步的日期") -> date:
    """A recorded step's date: not in the future, not before the step it follows."""
    from fupin_cli.domain.errors import RuleViolationError

    if on > today:
        raise RuleViolationError(f"日期 {on} 晚于今天（{today}）：不能登记尚未发生的步骤")
    if after is not None and on < after:
        raise RuleViolationError(f"日期 {on} 早于{after_what} {after}：每一步不能早于它前面的一步")
    return on
