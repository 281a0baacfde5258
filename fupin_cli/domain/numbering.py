"""Case numbers: 督查〔2026〕12号 (GB/T 9704-2012 §7.2.5) and the short forms users type."""

import re
from dataclasses import dataclass

from fupin_cli.domain.errors import InvalidInputError

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
