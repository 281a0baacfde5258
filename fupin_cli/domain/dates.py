"""Reading the date forms the office types: 2026-03-01, 2026/3/1, 2026.3.1, 20260301, 2026年3月1日,
3月1日, 3/1, 3.1, 今天, 昨天, 前天, 大前天, 明天 (full-width digits too).

A date typed without its year is the nearest such date in the direction the option means:
ahead (today included) for a deadline (`--to`, `--due`), back (today included) for a step's or a
report's day (`--on`, `--as-of`, a report's range); with no direction, in today's year."""

import re
from datetime import date, timedelta

from fupin_cli.domain.errors import InvalidInputError

_FULL_WIDTH = str.maketrans("０１２３４５６７８９／－．　", "0123456789/-. ")
_RELATIVE = {"今天": 0, "今日": 0, "明天": 1, "昨天": -1, "前天": -2, "大前天": -3}
ACCEPTED = "2026-03-01、2026/3/1、2026.3.1、2026年3月1日、3月1日、3/1、3.1、今天、昨天、前天、大前天 或 明天"
AHEAD = "ahead"
BACK = "back"
_FORMS = (
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日?"),
    re.compile(r"(?P<m>\d{1,2})月(?P<d>\d{1,2})日?"),
    re.compile(r"(?P<m>\d{1,2})[/.](?P<d>\d{1,2})"),
)


def parse_date(text: str, *, today: date, toward: str | None = None) -> date:
    """Read a date the way a clerk writes it; `today` answers 今天 and years left out, which
    resolve `toward` AHEAD or BACK of today (today included), or to today's year when None."""
    cleaned = text.strip().translate(_FULL_WIDTH).replace(" ", "")
    if cleaned in _RELATIVE:
        return today + timedelta(days=_RELATIVE[cleaned])
    for form in _FORMS:
        match = form.fullmatch(cleaned)
        if match is None:
            continue
        parts = match.groupdict()
        month, day_ = int(parts["m"]), int(parts["d"])
        if parts.get("y"):
            try:
                return date(int(parts["y"]), month, day_)
            except ValueError:
                break
        found = _without_year(month, day_, today=today, toward=toward)
        if found is not None:
            return found
        break
    raise InvalidInputError(f"无法识别的日期「{_shorten(text)}」：请写成 {ACCEPTED}")


def _without_year(month: int, day_: int, *, today: date, toward: str | None) -> date | None:
    """The nearest month-day in the direction asked (2月29日 may be up to four years away)."""
    step = {AHEAD: 1, BACK: -1}.get(toward or "", 0)
    for offset in range(5):
        try:
            found = date(today.year + step * offset, month, day_)
        except ValueError:
            if step == 0 or not (1 <= month <= 12 and 1 <= day_ <= 31):
                return None
            continue
        if step == 0 or (step > 0 and found >= today) or (step < 0 and found <= today):
            return found
    return None


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
