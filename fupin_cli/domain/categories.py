"""The kinds of 督查事项: the five inspection kinds of part 二 (一)–(五), and 其他.

The database stores the full name; users may type the full name or the short one.
"""

from dataclasses import dataclass

from fupin_cli.domain.errors import InvalidInputError


@dataclass(frozen=True)
class Category:
    name: str
    """The full name, as the office's text words it and as stored."""
    short: str
    """The short name shown in narrow tables and typed on the command line."""
    kind_no: int | None
    """The inspection kind's number in part 二 (1–5); None for 其他."""


CATEGORIES: tuple[Category, ...] = (
    Category("政策措施督促检查", "政策", 1),
    Category("扶贫资金项目监督检查", "资金项目", 2),
    Category("易地扶贫搬迁监督检查", "易地搬迁", 3),
    Category("互助资金项目监督检查", "互助资金", 4),
    Category("雨露计划监督检查", "雨露计划", 5),
    Category("其他", "其他", None),
)

_BY_TEXT = {text: category for category in CATEGORIES for text in (category.name, category.short)}


def parse_category(text: str) -> Category:
    """A category from its full or short name (1–5 also name the inspection kinds)."""
    cleaned = text.strip().replace(" ", "")
    found = _BY_TEXT.get(cleaned)
    if found is None and cleaned.isdigit():
        found = next((c for c in CATEGORIES if c.kind_no == int(cleaned)), None)
    if found is None:
        choices = "、".join(category.short for category in CATEGORIES)
        raise InvalidInputError(f"未知的督查类别「{cleaned[:40]}」：请写 {choices}（或其全称）")
    return found


def category_named(name: str) -> Category:
    """The category a stored full name denotes; an unknown stored name is shown as it is."""
    return _BY_TEXT.get(name) or Category(name, name, None)
