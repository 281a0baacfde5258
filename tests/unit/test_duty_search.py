"""The duty registry as shipped, and `duty who` search on real questions."""

from pathlib import Path

import pytest

from fupin_cli.domain.duties import (
    MIN_WORD_COVERAGE,
    SUGGESTION_COUNT,
    SYNONYM_WEIGHT,
    KeyTier,
    UnitKind,
    search,
    split_words,
)
from fupin_cli.domain.errors import InvalidInputError
from fupin_cli.services.duties import load_registry, load_synonyms, load_units

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "扶贫办责任清单.txt"
DIVISIONS = ["规划项目处", "移民培训处", "监督检查处", "社会扶贫处", "开发指导处", "政策信息处", "综合处"]


def who(query: str, limit: int | None = None):
    return search(load_registry(), query, synonyms=load_synonyms(), limit=limit)


# --- the registry -----------------------------------------------------------------------------


def test_registry_has_seven_main_duties_and_the_items_of_the_list() -> None:
    registry = load_registry()
    assert [duty.no for duty in registry.duties] == [1, 2, 3, 4, 5, 6, 7]
    # The office's list has 16 work items (domain.md says 17; the list wins).
    assert len(registry.items) == 16
    assert [division.name for division in registry.divisions] == DIVISIONS
    for division in registry.divisions:
        assert registry.items_of_division(division), division.name
    for duty in registry.duties:
        numbers = [item.duty_no for item in registry.items_of_duty(duty)]
        assert numbers == [f"{duty.no}.{n}" for n in range(1, len(numbers) + 1)]


def _reference_rows() -> list[tuple[str, str, str]]:
    """(main duty text, item text, division) for every row of part 一 of the office's list."""
    part_one = REFERENCE.read_text(encoding="utf-8").split("二、事中事后监督管理制度")[0]
    rows = []
    main_duty = ""
    for block in part_one.split("\n\n"):
        cells = [line[1:] for line in block.split("\n") if line.startswith("\t")]
        if len(cells) < 4 or cells[0] == "序号":
            continue
        main_duty = cells[1] or main_duty
        rows.append((main_duty, cells[2], cells[3]))
    return rows


def test_registry_words_every_item_exactly_as_the_office_list() -> None:
    if not REFERENCE.is_file():
        pytest.skip(f"the office's list is not beside the repository ({REFERENCE}): texts not compared")
    text = REFERENCE.read_text(encoding="utf-8")
    registry = load_registry()
    for item in registry.items:
        assert item.text in text, item.duty_no
        assert item.main_duty.text in text, item.duty_no
    shipped = [(item.main_duty.text, item.text, item.division.name) for item in registry.items]
    assert shipped == _reference_rows()


def test_units_are_the_25_of_the_list_plus_the_city_divisions() -> None:
    units = load_units()
    by_kind = {kind: [u for u in units if u.kind is kind] for kind in UnitKind}
    key = by_kind[UnitKind.KEY_COUNTY]
    assert [u.short_name for u in key if u.key_tier is KeyTier.AREA] == [
        "唐县", "阜平县", "顺平县", "涞源县", "易县", "曲阳县", "涞水县", "望都县"
    ]  # fmt: skip
    assert [u.short_name for u in key if u.key_tier is KeyTier.PROVINCIAL] == ["博野县"]
    assert [u.short_name for u in by_kind[UnitKind.NON_POOR_COUNTY]] == [
        "定兴县", "高阳县", "容城县", "安新县", "雄县", "蠡县", "涿州市", "安国市", "高碑店市"
    ]  # fmt: skip
    assert [u.short_name for u in by_kind[UnitKind.DISTRICT]] == [
        "竞秀区", "莲池区", "满城区", "清苑区", "徐水区", "高新区", "白沟新城"
    ]  # fmt: skip
    assert [u.name for u in by_kind[UnitKind.DIVISION]] == DIVISIONS
    assert len(units) - len(DIVISIONS) == 25
    assert key[0].name == "唐县扶贫开发办公室" and key[0].county == "唐县"
    assert by_kind[UnitKind.NON_POOR_COUNTY][0].name == "定兴县民政局"
    assert by_kind[UnitKind.DIVISION][0].county is None


def test_every_shipped_synonym_leads_somewhere() -> None:
    for key, expansions in load_synonyms().items():
        assert who(key).matches, key
        for expansion in expansions:
            assert who(expansion).matches, (key, expansion)


# --- search -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "division", "duty_no"),
    [
        ("捐赠", "社会扶贫处", "4.3"),
        ("易地搬迁", "移民培训处", "1.2"),
        ("贴息", "开发指导处", "5.3"),
        ("雨露计划", "移民培训处", "7.2"),
        ("统计监测", "规划项目处", "5.1"),
        ("宣传", "综合处", "7.1"),
        ("老区", "开发指导处", "4.4"),
        ("信访", "监督检查处", "3.2"),
        ("外资", "社会扶贫处", "6.1"),
        ("招商", "移民培训处", "6.2"),
        ("互助资金", "开发指导处", "5.3"),
        ("调研", "政策信息处", "5.2"),
        ("储备", "规划项目处", "2.1"),
        ("谁负责扶贫贷款贴息？", "开发指导处", "5.3"),
        ("贴", "开发指导处", "5.3"),  # one character: unigram fallback
    ],
)
def test_the_right_division_comes_first(query: str, division: str, duty_no: str) -> None:
    first = who(query).matches[0]
    assert (first.item.division.name, first.item.duty_no) == (division, duty_no)
    assert 0 < first.score <= 1


def test_matched_characters_are_given_as_spans_of_the_item() -> None:
    match = who("捐赠").matches[0]
    assert [match.item.text[start:end] for start, end in match.spans] == ["捐赠"]
    relocation = who("易地搬迁").matches[0]
    assert [relocation.item.text[start:end] for start, end in relocation.spans] == ["易地扶贫搬迁"]


def test_a_synonym_widens_the_query_but_counts_less_than_a_direct_hit() -> None:
    (match,) = who("雨露计划").matches
    assert match.synonym == "劳动力转移培训"
    assert match.score == SYNONYM_WEIGHT
    assert "劳动力转移培训" in "".join(match.item.text[s:e] for s, e in match.spans)
    # 计划 alone is one bigram in three: not enough to drag in the items that plan things.
    assert 1 / 3 < MIN_WORD_COVERAGE


def test_a_direct_hit_outranks_a_synonym_hit() -> None:
    matches = who("培训").matches
    assert all(m.synonym is None and m.score == 1 for m in matches)
    assert who("易地扶贫搬迁").matches[0].score == 1


@pytest.mark.parametrize("query", ["监督检查处", "监督检查", "社会扶贫处", "社会扶贫", "综合处", "综合"])
def test_a_division_name_or_long_prefix_lists_its_items(query: str) -> None:
    registry = load_registry()
    division = registry.division_named(query)
    assert division is not None
    own = registry.items_of_division(division)
    leading = who(query).matches[: len(own)]
    assert {m.item for m in leading} == set(own)
    assert all(m.division_matched and m.score == 1 for m in leading)


def test_a_short_prefix_is_an_ordinary_word() -> None:
    registry = load_registry()
    assert registry.division_named("规划") is None
    assert registry.division_named("政策") is None
    assert {m.item.division.name for m in who("规划").matches} >= {"规划项目处", "移民培训处", "社会扶贫处"}


def test_several_words_combine_and_items_matching_all_come_first() -> None:
    matches = who("扶贫 贴息").matches
    assert matches[0].item.duty_no == "5.3" and matches[0].score == 1
    assert all(m.score == 0.5 for m in matches[1:])
    both = who("捐赠 老区").matches
    assert {m.item.duty_no for m in both[:2]} == {"4.3", "4.4"}
    assert split_words("捐赠，老区\u3000贴息") == ("捐赠", "老区", "贴息")


def test_limit_keeps_the_best() -> None:
    assert [m.item.duty_no for m in who("扶贫", limit=2).matches] == [
        m.item.duty_no for m in who("扶贫").matches[:2]
    ]


def test_full_width_and_case_are_folded() -> None:
    assert split_words("ＡＢ　贴息") == ("ab", "贴息")


def test_nonsense_finds_nothing_and_offers_the_closest_items() -> None:
    result = who("火星基地")
    assert result.matches == ()
    assert 0 < len(result.suggestions) <= SUGGESTION_COUNT
    assert all("地" in m.item.text for m in result.suggestions)
    nothing_shared = who("xyz")
    assert nothing_shared.matches == () and nothing_shared.suggestions == ()


def test_a_query_without_words_is_refused() -> None:
    with pytest.raises(InvalidInputError):
        who(" ，。 ")
