"""Case numbers: 督查〔2026〕12号 (GB/T 9704-2012 §7.2.5) and the short forms users type."""

import re
from collections.abc import Mapping
from dataclasses import dataclass

from fupin_cli.domain.errors import InvalidInputError, NotFoundError

PREFIX = "督查"

_FULL_WIDTH = str.maketrans("０１２３４５６７８９－", "0123456789-")
_FORMS = (
    re.compile(r"(?P<no>\d{1,7})"),
    re.compile(r"(?P<year>\d{4})-(?P<no>\d{1,7})"),
    re.compile(r"(?:督查)?[\[〔［【(（](?P<year>\d{4})[\]〕］】)）]第?(?P<no>\d{1,7})号?"),
)


@dataclass(frozen=True, order=True)
class CaseNumber:
    year: int
    serial: int

    def __str__(self) -> str:
        return f"{PREFIX}〔{self.year}〕{self.serial}号"

    @property
    def short(self) -> str:
        return f"{self.year}-{self.serial}"


def parse_case_number(text: str, *, current_year: int) -> CaseNumber:
    """`12` (this year), `2026-12`, `督查[2026]12号` and `督查〔2026〕12号` all name one case."""
    cleaned = text.strip().translate(_FULL_WIDTH).replace(" ", "")
    for form in _FORMS:
        match = form.fullmatch(cleaned)
        if match is None:
            continue
        parts = match.groupdict()
        serial = int(parts["no"])
        year = int(parts.get("year") or current_year)
        if serial >= 1:
            return CaseNumber(year, serial)
    shown = cleaned if len(cleaned) <= 40 else cleaned[:40] + "…"
    raise InvalidInputError(f"无法识别的督查编号「{shown}」：请写成 12、2026-12 或 督查〔2026〕12号")


def bare_serial(text: str) -> int | None:
    """The serial when the number was typed without its year (`10`), else None."""
    cleaned = text.strip().translate(_FULL_WIDTH).replace(" ", "")
    match = _FORMS[0].fullmatch(cleaned)
    return int(match["no"]) if match and int(match["no"]) >= 1 else None


def pick_year(serial: int, *, current_year: int, years: Mapping[int, bool]) -> tuple[CaseNumber, str | None]:
    """A bare serial across years: this year's case when there is one; otherwise the one other
    year whose case of that serial is still open (with a line saying so); otherwise a refusal
    naming the candidates. `years` maps each year holding that serial to whether it is still open."""
    if current_year in years:
        return CaseNumber(current_year, serial), None
    open_years = sorted(year for year, still_open in years.items() if still_open)
    if len(open_years) == 1:
        chosen = CaseNumber(open_years[0], serial)
        return chosen, f"{current_year} 年没有 {serial} 号，按仍在办的 {chosen} 办理"
    if not years:
        raise NotFoundError(f"没有这个督查事项：{CaseNumber(current_year, serial)}")
    named = "、".join(CaseNumber(year, serial).short for year in sorted(years))
    raise NotFoundError(
        f"{current_year} 年没有 {serial} 号；其他年份有：{named}，请写明年份（如 {CaseNumber(max(years), serial).short}）"
    )
