"""The 督查事项 procedure (part 二(二) 五) as data: states, steps, and the one function that moves."""

from enum import StrEnum

from fupin_cli.domain.errors import InvalidTransitionError


class State(StrEnum):
    PROPOSED = "proposed"  # 拟办
    APPROVED = "approved"  # 已立项
    REJECTED = "rejected"  # 不予立项
    ASSIGNED = "assigned"  # 已交办
    IN_PROGRESS = "in_progress"  # 承办中
    COMPLETED = "completed"  # 已办结
    ARCHIVED = "archived"  # 已归档
    WITHDRAWN = "withdrawn"  # 已撤销

    @property
    def label(self) -> str:
        return STATE_LABELS[self]

    @property
    def is_final(self) -> bool:
        return self in FINAL_STATES

    @property
    def is_open(self) -> bool:
        """Assigned and not yet completed: the deadline runs."""
        return self in (State.ASSIGNED, State.IN_PROGRESS)


class Action(StrEnum):
    APPROVE = "approve"  # 立项审批
    REJECT = "reject"  # 不予立项
    ASSIGN = "assign"  # 交办
    ACCEPT = "accept"  # 承办登记
    EXTEND = "extend"  # 延期
    FEEDBACK = "feedback"  # 反馈办结
    RETURN = "return"  # 退回重办
    ARCHIVE = "archive"  # 归档
    WITHDRAW = "withdraw"  # 撤销

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


STATE_LABELS = {
    State.PROPOSED: "拟办",
    State.APPROVED: "已立项",
    State.REJECTED: "不予立项",
    State.ASSIGNED: "已交办",
    State.IN_PROGRESS: "承办中",
    State.COMPLETED: "已办结",
    State.ARCHIVED: "已归档",
    State.WITHDRAWN: "已撤销",
}

ACTION_LABELS = {
    Action.APPROVE: "立项（approve）",
    Action.REJECT: "不予立项（reject）",
    Action.ASSIGN: "交办（assign）",
    Action.ACCEPT: "承办登记（accept）",
    Action.EXTEND: "延期（extend）",
    Action.FEEDBACK: "反馈办结（feedback）",
    Action.RETURN: "退回重办（return）",
    Action.ARCHIVE: "归档（archive）",
    Action.WITHDRAW: "撤销（withdraw）",
}

FINAL_STATES = frozenset({State.REJECTED, State.ARCHIVED, State.WITHDRAWN})

TRANSITIONS: dict[tuple[State, Action], State] = {
    (State.PROPOSED, Action.APPROVE): State.APPROVED,
    (State.PROPOSED, Action.REJECT): State.REJECTED,
    (State.APPROVED, Action.ASSIGN): State.ASSIGNED,
    (State.ASSIGNED, Action.ACCEPT): State.IN_PROGRESS,
    (State.ASSIGNED, Action.EXTEND): State.ASSIGNED,
    (State.IN_PROGRESS, Action.EXTEND): State.IN_PROGRESS,
    (State.IN_PROGRESS, Action.FEEDBACK): State.COMPLETED,
    (State.COMPLETED, Action.RETURN): State.IN_PROGRESS,
    (State.COMPLETED, Action.ARCHIVE): State.ARCHIVED,
    **{
        (state, Action.WITHDRAW): State.WITHDRAWN
        for state in State
        if state not in FINAL_STATES
    },
}


def allowed_actions(state: State) -> list[Action]:
    return [action for action in Action if (state, action) in TRANSITIONS]


def next_state(state: State, action: Action) -> State:
    """The state after `action`, or InvalidTransitionError naming the state and what is allowed."""
    target = TRANSITIONS.get((state, action))
    if target is not None:
        return target
    allowed = allowed_actions(state)
    hint = "、".join(a.label for a in allowed) if allowed else "无（该事项已结束）"
    raise InvalidTransitionError(
        f"当前状态为「{state.label}」，不能{action.label.split('（')[0]}；可进行的下一步：{hint}"
    )
