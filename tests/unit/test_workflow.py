"""The 督查事项 workflow: every (state, action) pair, allowed and refused."""

from itertools import product

import pytest

from fupin_cli.domain.errors import InvalidTransitionError
from fupin_cli.domain.workflow import FINAL_STATES, Action, State, allowed_actions, next_state

S, A = State, Action

# Spelled out from domain.md "督查事项 lifecycle", independently of workflow.TRANSITIONS.
ALLOWED = {
    (S.PROPOSED, A.APPROVE): S.APPROVED,
    (S.PROPOSED, A.REJECT): S.REJECTED,
    (S.PROPOSED, A.WITHDRAW): S.WITHDRAWN,
    (S.APPROVED, A.ASSIGN): S.ASSIGNED,
    (S.APPROVED, A.WITHDRAW): S.WITHDRAWN,
    (S.ASSIGNED, A.ACCEPT): S.IN_PROGRESS,
    (S.ASSIGNED, A.EXTEND): S.ASSIGNED,
    (S.ASSIGNED, A.WITHDRAW): S.WITHDRAWN,
    (S.IN_PROGRESS, A.EXTEND): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.FEEDBACK): S.COMPLETED,
    (S.IN_PROGRESS, A.WITHDRAW): S.WITHDRAWN,
    (S.COMPLETED, A.RETURN): S.IN_PROGRESS,
    (S.COMPLETED, A.ARCHIVE): S.ARCHIVED,
    (S.COMPLETED, A.WITHDRAW): S.WITHDRAWN,
}

PAIRS = list(product(State, Action))


@pytest.mark.parametrize(("state", "action"), PAIRS, ids=[f"{s.value}-{a.value}" for s, a in PAIRS])
def test_every_pair(state: State, action: Action) -> None:
    if (state, action) in ALLOWED:
        assert next_state(state, action) is ALLOWED[(state, action)]
        return
    with pytest.raises(InvalidTransitionError) as refused:
        next_state(state, action)
    message = refused.value.message
    assert f"「{state.label}」" in message, "the refusal names the current state"
    for allowed in allowed_actions(state):
        assert allowed.label in message, "the refusal names every allowed next step"
    if state in FINAL_STATES:
        assert "已结束" in message


def test_the_table_has_no_move_beyond_the_spec() -> None:
    assert {(s, a) for s, a in PAIRS if a in allowed_actions(s)} == set(ALLOWED)


@pytest.mark.parametrize("state", sorted(FINAL_STATES))
def test_final_states_allow_nothing(state: State) -> None:
    assert allowed_actions(state) == []
    assert state.is_final and not state.is_open


def test_only_assigned_and_in_progress_run_the_clock() -> None:
    assert {s for s in State if s.is_open} == {S.ASSIGNED, S.IN_PROGRESS}


def test_every_state_and_action_has_a_chinese_label() -> None:
    assert [s.label for s in State] == [
        "拟办",
        "已立项",
        "不予立项",
        "已交办",
        "承办中",
        "已办结",
        "已归档",
        "已撤销",
    ]
    assert all(a.label and not a.label.isascii() for a in Action)
