"""Values typed for 监督检查, read and shown: years, amounts in 元/万元, thresholds and rates as fractions.

Pure: standard library only.
"""

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from fupin_cli.domain.errors import InvalidInputError

FIRST_YEAR = 2004
"""The first year fupin accepts for a plan, an inspection or a project village."""
DEFAULT_ORDER_WORKDAYS = 10
"""责令限期改正: the time limit when none is given, as for a 督查事项 (一般不超过10个工作日)."""
MAX_AMOUNT_FEN = 10**15
"""A sum above ten trillion 元 is a typing mistake."""

# --- small readers ---------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Full-width digits and letters to half-width, spaces trimmed (also the ideographic space)."""
    return unicodedata.normalize("NFKC", text).strip()


def check_year(year: int, *, today: date, what: str = "年度") -> int:
    if not FIRST_YEAR <= year <= today.year + 1:
        raise InvalidInputError(f"{what} {year} 不在 {FIRST_YEAR}–{today.year + 1} 之间")
    return year


_AMOUNT = re.compile(r"(?P<number>[0-9][0-9,]*(?:\.[0-9]+)?)(?P<unit>万元|万|元)?")


def parse_amount(text: str) -> int:
    """An amount in 元 as typed (1234.5, 1,234.50元, 3.5万元) → whole 分."""
    cleaned = fold(text).replace("，", ",").replace(" ", "")
    match = _AMOUNT.fullmatch(cleaned)
    if match is None:
        raise InvalidInputError(f"无法识别的金额「{text[:30]}」：请写 12345.67、12345.67元 或 3.5万元")
    try:
        value = Decimal(match.group("number").replace(",", ""))
    except InvalidOperation:
        raise InvalidInputError(f"无法识别的金额「{text[:30]}」") from None
    if match.group("unit") in ("万", "万元"):
        value *= 10000
    fen = value * 100
    if fen != fen.to_integral_value():
        raise InvalidInputError(f"金额「{text[:30]}」精确到分即可（最多两位小数）")
    if fen > MAX_AMOUNT_FEN:
        raise InvalidInputError(f"金额「{text[:30]}」过大")
    return int(fen)


def format_amount(fen: int | None) -> str:
    if fen is None:
        return ""
    return f"{Decimal(fen) / 100:,.2f}"


def parse_threshold(text: str) -> Fraction:
    """0.95, 95% or 19/20 → an exact fraction in (0, 1]."""
    cleaned = fold(text).replace("％", "%")
    try:
        value = Fraction(cleaned[:-1]) / 100 if cleaned.endswith("%") else Fraction(cleaned)
    except (ValueError, ZeroDivisionError):
        raise InvalidInputError(f"无法识别的阈值「{text[:20]}」：请写 0.95 或 95%") from None
    if not 0 < value <= 1:
        raise InvalidInputError(f"阈值应大于 0、不大于 1（100%），而不是 {text[:20]}")
    return value


def percent(value: Fraction, places: int = 2) -> str:
    """19/20 → 95.00%, rounded half up on the exact value."""
    scaled = value * 100 * 10**places
    rounded = int(scaled + Fraction(1, 2)) if scaled >= 0 else -int(-scaled + Fraction(1, 2))
    whole, part = divmod(rounded, 10**places)
    return f"{whole}.{part:0{places}d}%" if places else f"{whole}%"

# --- indicators ------------------------------------------------------------------------------------


def check_rate(numerator: int, denominator: int) -> Fraction:
    if denominator <= 0:
        raise InvalidInputError(f"分母应大于 0，而不是 {denominator}")
    if numerator < 0:
        raise InvalidInputError(f"分子不能为负数（{numerator}）")
    if numerator > denominator:
        raise InvalidInputError(f"分子 {numerator} 大于分母 {denominator}：比率不能超过 100%")
    return Fraction(numerator, denominator)
