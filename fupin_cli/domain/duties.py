"""The duty registry (部门职责登记表), the units work is assigned to, and `duty who` search.

Standard library only. The registry and the units are read from data/ by fupin_cli.services.duties.

How the search works (Chinese is not segmented into words):

- Text is compared character by character after NFKC folding (full-width letters and digits become
  half-width, Latin letters lower case). A query is split into words at whitespace and punctuation.
- Each word is reduced to its *terms*: its character bigrams (易地搬迁 → 易地 地搬 搬迁), or the
  character itself when the word is a single character (unigram fallback). Bigrams never span
  punctuation, neither in the query nor in an item.
- **Coverage** of a word in an item is the share of its terms found in the item's text: 易地搬迁 has
  two of three bigrams in 「负责拟定全市易地扶贫搬迁规划…」, coverage 0.67.
- **Synonyms** (data/synonyms.toml) widen a word: when the word contains a synonym key, each
  expansion is scored the same way and the best one counts at SYNONYM_WEIGHT (0.9). A word's
  coverage is the better of the two, so a direct hit always outranks an equally good synonym hit.
  An expansion counts only where it reaches MIN_WORD_COVERAGE itself: 扶贫贷款贴息 (for 贴息) must
  not lend every item that merely says 扶贫 a share of 贴息.
- **A division's name** (规划项目处, 规划项目, or a prefix longer than half of it: 社会扶贫, 综合)
  gives every item of that division coverage 1 for that word: the query lists the division's items.
- An item is a match when at least one word reaches MIN_WORD_COVERAGE (0.5); that threshold keeps
  one shared bigram (扶贫, 负责) from matching everything. Its **score** is the mean coverage over
  all words, each word weighted by its number of terms, so items matching several words come first.
- Ties are broken by how specific the match is: the longest run of matched characters, then the
  share of the item's characters that matched (a short item wins), then registry order.
- Each match carries the character spans that matched, for highlighting.
- No match → empty matches, and up to SUGGESTION_COUNT *suggestions*: the items sharing the most
  single characters with the query.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from fupin_cli.domain.errors import InvalidInputError

SYNONYM_WEIGHT = 0.9
"""A word found only through a synonym counts at this share of a direct hit."""
MIN_WORD_COVERAGE = 0.5
"""An item matches when some word of the query has at least this coverage in it."""
SUGGESTION_COUNT = 3
"""How many closest items to offer when nothing matches."""


# --- the registry -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Division:
    """A division of the city office (责任处室), e.g. 社会扶贫处."""

    name: str

    @property
    def core(self) -> str:
        """The name without the final 处: 社会扶贫."""
        return self.name.removesuffix("处")


@dataclass(frozen=True)
class Duty:
    """A main duty (主要职责), numbered 1–7."""

    no: int
    text: str


@dataclass(frozen=True)
class DutyItem:
    """A specific work item (具体工作事项), numbered within its main duty: "4.3"."""

    duty_no: str
    text: str
    division: Division
    main_duty: Duty


@dataclass(frozen=True)
class Registry:
    """The whole 部门职责登记表, in the office's order."""

    divisions: tuple[Division, ...]
    duties: tuple[Duty, ...]
    items: tuple[DutyItem, ...]

    def items_of_division(self, division: Division) -> tuple[DutyItem, ...]:
        return tuple(item for item in self.items if item.division == division)

    def items_of_duty(self, duty: Duty) -> tuple[DutyItem, ...]:
        return tuple(item for item in self.items if item.main_duty == duty)

    def duty(self, no: int) -> Duty | None:
        return next((duty for duty in self.duties if duty.no == no), None)

    def item(self, duty_no: str) -> DutyItem | None:
        return next((item for item in self.items if item.duty_no == duty_no), None)

    def division_named(self, text: str) -> Division | None:
        """The division a user means by `text`: its name, the name without 处, or a long prefix.

        A prefix must be longer than half of the name without 处, so 社会扶贫 and 综合 name a
        division while 规划 and 政策 stay ordinary words. An ambiguous prefix names none.
        """
        word = fold(text.strip())
        if not word:
            return None
        exact = [d for d in self.divisions if word in (fold(d.name), fold(d.core))]
        if exact:
            return exact[0]
        prefixed = [
            d for d in self.divisions if fold(d.core).startswith(word) and len(word) * 2 > len(d.core)
        ]
        return prefixed[0] if len(prefixed) == 1 else None


# --- units ------------------------------------------------------------------------------------


class UnitKind(StrEnum):
    KEY_COUNTY = "key_county"  # 扶贫开发重点县扶贫办
    NON_POOR_COUNTY = "non_poor_county"  # 非贫困县（市）民政局
    DISTRICT = "district"  # 区民政局
    DIVISION = "division"  # 市扶贫办处室（办内事项）


class KeyTier(StrEnum):
    AREA = "片区"  # 燕山—太行山片区县
    PROVINCIAL = "省级"  # 省级重点县


@dataclass(frozen=True)
class Unit:
    """A unit inspected or assigned work (承办单位): a county office, a bureau, or a city division."""

    name: str
    """Full name, as on an assignment notice: 唐县扶贫开发办公室."""
    short_name: str
    """What people type: the county (唐县), or the division's own name."""
    kind: UnitKind
    key_tier: KeyTier | None = None
    """片区 or 省级, for key counties only."""
    aliases: tuple[str, ...] = ()
    """Other names the office uses for the unit (data/units.toml `aliases`)."""

    @property
    def county(self) -> str | None:
        """The county, city or district the unit serves; None for a city division."""
        return None if self.kind is UnitKind.DIVISION else self.short_name


# --- search -----------------------------------------------------------------------------------

Span = tuple[int, int]
"""Characters [start, end) of an item's text."""


@dataclass(frozen=True)
class Match:
    item: DutyItem
    score: float
    """0..1, rounded to three places."""
    spans: tuple[Span, ...]
    """The characters of item.text that matched, merged, in order."""
    division_matched: bool = False
    """The query named the item's division."""
    synonym: str | None = None
    """The expansion the item was found through, when no direct hit did better."""


@dataclass(frozen=True)
class SearchResult:
    query: str
    words: tuple[str, ...]
    matches: tuple[Match, ...]
    suggestions: tuple[Match, ...] = ()
    """Only when nothing matched: the closest items by shared characters."""


def fold(text: str) -> str:
    """NFKC and case folding, one character for one, so positions stay those of the original."""
    return "".join(_fold_char(char) for char in text)


def _fold_char(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char).casefold()
    return folded if len(folded) == 1 else char


_WORD = re.compile(r"[^\W_]+")


def split_words(query: str) -> tuple[str, ...]:
    """The words of a query: runs of letters and digits, folded."""
    return tuple(_WORD.findall(fold(query)))


def _terms(word: str) -> frozenset[str]:
    if len(word) == 1:
        return frozenset(word)
    return frozenset(word[i : i + 2] for i in range(len(word) - 1))


@cache
def _positions(text: str) -> Mapping[str, tuple[int, ...]]:
    """Where every unigram and every bigram (inside a run of word characters) starts in text."""
    folded = fold(text)
    found: dict[str, list[int]] = {}
    for run in _WORD.finditer(folded):
        start, chunk = run.start(), run.group()
        for i, char in enumerate(chunk):
            found.setdefault(char, []).append(start + i)
            if i + 1 < len(chunk):
                found.setdefault(chunk[i : i + 2], []).append(start + i)
    return {gram: tuple(starts) for gram, starts in found.items()}


def _coverage(terms: frozenset[str], positions: Mapping[str, tuple[int, ...]]) -> tuple[float, set[str]]:
    hit = {term for term in terms if term in positions}
    return len(hit) / len(terms), hit


def _spans(terms: Iterable[str], positions: Mapping[str, tuple[int, ...]]) -> tuple[Span, ...]:
    marks = sorted((start, start + len(term)) for term in terms for start in positions.get(term, ()))
    merged: list[list[int]] = []
    for start, end in marks:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((start, end) for start, end in merged)


@dataclass(frozen=True)
class _Word:
    text: str
    terms: frozenset[str]
    expansions: tuple[tuple[str, frozenset[str]], ...]
    division: Division | None


def _prepare(registry: Registry, words: Sequence[str], synonyms: Mapping[str, Sequence[str]]) -> list[_Word]:
    folded_synonyms = [(fold(key), values) for key, values in synonyms.items()]
    prepared = []
    for word in words:
        expansions: list[tuple[str, frozenset[str]]] = []
        for key, values in folded_synonyms:
            if key and key in word:
                for value in values:
                    for part in split_words(value):
                        if part != word and all(part != seen for seen, _ in expansions):
                            expansions.append((part, _terms(part)))
        prepared.append(_Word(word, _terms(word), tuple(expansions), registry.division_named(word)))
    return prepared


def _score(item: DutyItem, words: Sequence[_Word]) -> tuple[Match, int, float] | None:
    """The item's match, its longest matched run and its matched share; None below the threshold."""
    positions = _positions(item.text)
    total = weighted = 0.0
    qualified = division_matched = False
    highlight: set[str] = set()
    synonym: str | None = None
    for word in words:
        best, hit = _coverage(word.terms, positions)
        best_synonym = None
        for text, terms in word.expansions:
            coverage, synonym_hit = _coverage(terms, positions)
            if coverage >= MIN_WORD_COVERAGE and coverage * SYNONYM_WEIGHT > best:
                best, best_synonym, hit = coverage * SYNONYM_WEIGHT, text, synonym_hit
        highlight |= hit
        if word.division is not None and word.division == item.division:
            best, best_synonym, division_matched = 1.0, None, True
        if best_synonym is not None and synonym is None:
            synonym = best_synonym
        qualified = qualified or best >= MIN_WORD_COVERAGE
        weighted += best * len(word.terms)
        total += len(word.terms)
    if not qualified:
        return None
    spans = _spans(highlight, positions)
    longest = max((end - start for start, end in spans), default=0)
    share = sum(end - start for start, end in spans) / len(item.text)
    match = Match(item, round(weighted / total, 3), spans, division_matched, synonym)
    return match, longest, share


def _suggest(registry: Registry, words: Sequence[str]) -> tuple[Match, ...]:
    chars = {char for word in words for char in word}
    ranked = []
    for order, item in enumerate(registry.items):
        positions = _positions(item.text)
        hit = {char for char in chars if char in positions}
        if hit:
            spans = _spans(hit, positions)
            share = sum(end - start for start, end in spans) / len(item.text)
            ranked.append((-len(hit), -share, order, Match(item, round(len(hit) / len(chars), 3), spans)))
    ranked.sort(key=lambda row: row[:3])
    return tuple(row[3] for row in ranked[:SUGGESTION_COUNT])


def search(
    registry: Registry,
    query: str,
    *,
    synonyms: Mapping[str, Sequence[str]] | None = None,
    limit: int | None = None,
) -> SearchResult:
    """The items that answer 「谁负责…」 for `query`, best first (see the module's docstring)."""
    words = split_words(query)
    if not words:
        raise InvalidInputError("请给出要查的词，例如：fupin duty who 贴息")
    prepared = _prepare(registry, words, synonyms or {})
    ranked = []
    for order, item in enumerate(registry.items):
        scored = _score(item, prepared)
        if scored is not None:
            match, longest, share = scored
            ranked.append((-match.score, -longest, -share, order, match))
    ranked.sort(key=lambda row: row[:4])
    matches = tuple(row[4] for row in ranked)
    if limit is not None:
        matches = matches[: max(limit, 0)]
    suggestions = () if ranked else _suggest(registry, words)
    return SearchResult(query=query, words=words, matches=matches, suggestions=suggestions)
