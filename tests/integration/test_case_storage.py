"""The case repository on a fresh database per test (SQLite; PostgreSQL where a server is there)."""

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select, text, update

from fupin_cli.domain import cases as rules
from fupin_cli.domain.errors import CalendarChangedWarning, NotFoundError
from fupin_cli.domain.numbering import CaseNumber
from fupin_cli.domain.units import match_units
from fupin_cli.domain.workflow import State
from fupin_cli.services.unit_of_work import in_unit_of_work
from fupin_cli.storage import case_rows
from fupin_cli.storage import cases as repository
from fupin_cli.storage.events import append_event, iter_events, verify_chain
from fupin_cli.storage.session_rows import SessionRows
from fupin_cli.storage.tables import CaseRecord
from tests.unit.test_case_rules import Weekdays

D = date.fromisoformat
TODAY = D("2026-12-31")


def new_case(conn, *, on: str = "2026-03-02", **overrides) -> rules.Case:
    day = D(on)
    serial = repository.next_serial(conn, day.year)
    values = dict(year=day.year, serial=serial, title=f"事项{serial}", category="其他", on=day, today=TODAY)
    values.update(overrides)
    return repository.insert_case(conn, rules.open_case(**values))


def test_each_year_has_its_own_series(database) -> None:
    with database.write() as session:
        conn = session.connection()
        taken = [repository.next_serial(conn, year) for year in (2026, 2026, 2027, 2026, 2027)]
    assert taken == [1, 2, 1, 3, 2]


def test_a_serial_is_never_reused_even_if_the_counter_fell_behind(database) -> None:
    with database.write() as session:
        conn = session.connection()
        for _ in range(3):
            new_case(conn)
        conn.execute(text("UPDATE case_counter SET last_serial = 1 WHERE year = 2026"))
        assert repository.next_serial(conn, 2026) == 4


def test_a_case_round_trips_with_its_units_and_extensions(database) -> None:
    calendar = Weekdays()
    with database.write() as session:
        conn = session.connection()
        case = new_case(conn, source="信访", major=True)
        approved = rules.approve(case, on=D("2026-03-02"), today=TODAY, meeting_ref="纪要3号")
        assigned = rules.assign(
            approved,
            on=D("2026-03-03"),
            today=TODAY,
            lead_unit="唐县扶贫开发办公室",
            assist_units=("易县扶贫开发办公室", "综合处"),
            calendar=calendar,
        )
        extended = rules.extend(
            assigned,
            on=D("2026-03-05"),
            today=TODAY,
            reason="材料多",
            approver="李处长",
            workdays=3,
            calendar=calendar,
        )
        saved = repository.save_case(conn, case, extended)
    assert saved.extensions[0].id is not None
    with database.read() as conn:
        loaded = case_rows.load_case(SessionRows(conn), CaseNumber(2026, 1))
    assert loaded == saved
    assert loaded.assist_units == ("易县扶贫开发办公室", "综合处")
    assert loaded.state is State.ASSIGNED and loaded.major is True
    assert (loaded.original_due, loaded.due) == (D("2026-03-17"), D("2026-03-20"))


def test_save_writes_only_what_changed(database) -> None:
    with database.write() as session:
        conn = session.connection()
        case = new_case(conn)
        stamp = conn.execute(select(CaseRecord.__table__.c.updated_at)).scalar()
        assert repository.save_case(conn, case, case) == case
        assert conn.execute(select(CaseRecord.__table__.c.updated_at)).scalar() == stamp


def test_unknown_case_is_not_found(database) -> None:
    with database.read() as conn, pytest.raises(NotFoundError, match="督查〔2026〕9号"):
        case_rows.load_case(SessionRows(conn), CaseNumber(2026, 9))


def test_a_failed_unit_of_work_leaves_no_trace(database) -> None:
    class Refused(Exception):
        pass

    with pytest.raises(Refused), database.write() as session:
        conn = session.connection()
        case = new_case(conn)
        append_event(
            session,
            subject=str(case.number),
            action="open",
            operator="测试员",
            effective_on=case.opened_on,
            before=None,
            after=rules.recorded_fields(case),
            case_id=case.id,
        )
        raise Refused
    with database.read() as conn:
        for table in ("cases", "case_counter", "audit_event"):
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0


def test_listing_filters_and_counts_extensions(database) -> None:
    calendar = Weekdays()
    with database.write() as session:
        conn = session.connection()
        first = new_case(conn)
        new_case(conn, on="2025-06-02")
        approved = rules.approve(first, on=D("2026-03-02"), today=TODAY, approver="王主任")
        assigned = rules.assign(
            approved, on=D("2026-03-02"), today=TODAY, lead_unit="易县扶贫开发办公室", calendar=calendar
        )
        extended = rules.extend(
            assigned, on=D("2026-03-03"), today=TODAY, reason="r", approver="a", to=D("2026-03-20"), calendar=calendar
        )
        repository.save_case(conn, first, extended)
        conn.execute(
            text(
                "INSERT INTO unit (name, short_name, kind, county, ordering) "
                "VALUES ('易县扶贫开发办公室', '易县', 'key_county', '易县', 0)"
            )
        )
    with database.read() as conn:
        rows = case_rows.list_rows(SessionRows(conn))
        assert [(r["year"], r["serial"]) for r in rows] == [(2025, 1), (2026, 1)]
        assigned_rows = case_rows.list_rows(SessionRows(conn), states=["assigned"], unit="易县扶贫开发办公室", year=2026)
        assert len(assigned_rows) == 1
        assert assigned_rows[0]["extensions"] == 1 and assigned_rows[0]["unit_short"] == "易县"
        assert case_rows.list_rows(SessionRows(conn), due_before=D("2026-03-20")) == []
        assert len(case_rows.list_rows(SessionRows(conn), due_before=D("2026-03-21"))) == 1
        assert len(case_rows.list_rows(SessionRows(conn), due_from=D("2026-03-20"))) == 1
        assert case_rows.list_rows(SessionRows(conn), year=2024) == []


def test_units_are_found_by_full_name_short_name_or_part(database) -> None:
    with database.write() as session:
        conn = session.connection()
        conn.execute(text("DELETE FROM unit"))
        assert case_rows.unit_names(SessionRows(conn)) == []
        conn.execute(
            text(
                "INSERT INTO unit (name, short_name, kind, county, ordering) VALUES "
                "('唐县扶贫开发办公室', '唐县', 'key_county', '唐县', 1),"
                "('易县扶贫开发办公室', '易县', 'key_county', '易县', 2),"
                "('综合处', '综合处', 'division', NULL, 3)"
            )
        )
        assert len(case_rows.unit_names(SessionRows(conn))) == 3
        names = case_rows.unit_names(SessionRows(conn))
        assert match_units(names, "唐县扶贫开发办公室") == ["唐县扶贫开发办公室"]
        assert match_units(names, "易县") == ["易县扶贫开发办公室"]
        assert match_units(names, "综合处") == ["综合处"]
        assert match_units(names, "扶贫开发办公室") == ["唐县扶贫开发办公室", "易县扶贫开发办公室"]
        assert match_units(names, "100%_") == []


def test_provisional_cases_are_found_by_their_flag_or_an_extensions(database) -> None:
    plain, provisional = Weekdays(), Weekdays(provisional_years=(2026,))
    with database.write() as session:
        conn = session.connection()
        for serial, (assign_calendar, extend_calendar) in enumerate(
            [(plain, plain), (provisional, plain), (plain, provisional)], start=1
        ):
            case = new_case(conn)
            approved = rules.approve(case, on=D("2026-03-02"), today=TODAY, approver="王主任")
            assigned = rules.assign(
                approved, on=D("2026-03-02"), today=TODAY, lead_unit="易县", calendar=assign_calendar
            )
            extended = rules.extend(
                assigned,
                on=D("2026-03-03"),
                today=TODAY,
                reason="r",
                approver="a",
                workdays=1,
                calendar=extend_calendar,
            )
            saved = repository.save_case(conn, case, extended)
            assert saved.serial == serial
        # an extension flagged on its own, its case's flag cleared: still found
        conn.execute(
            update(CaseRecord.__table__)
            .where(CaseRecord.__table__.c.serial == 3)
            .values(due_provisional=False)
        )
        found = [case.serial for case in repository.iter_provisional_cases(conn)]
    assert found == [2, 3]


def test_audit_events_chain_in_the_same_transaction(database) -> None:
    with database.write() as session:
        conn = session.connection()
        for _ in range(3):
            case = new_case(conn)
            append_event(
                session,
                subject=str(case.number),
                action="open",
                operator="测试员",
                effective_on=case.opened_on,
                before=None,
                after=rules.recorded_fields(case),
                case_id=case.id,
            )
    with database.read() as conn:
        assert verify_chain(conn) == (3, None)
        assert conn.execute(select(func.count()).select_from(CaseRecord.__table__)).scalar() == 3


def test_save_updates_a_recomputed_extension(database) -> None:
    provisional = Weekdays(provisional_years=(2026,))
    with database.write() as session:
        conn = session.connection()
        case = new_case(conn)
        approved = rules.approve(case, on=D("2026-03-02"), today=TODAY, approver="王主任")
        assigned = rules.assign(
            approved, on=D("2026-03-02"), today=TODAY, lead_unit="易县", calendar=provisional
        )
        extended = rules.extend(
            assigned,
            on=D("2026-03-03"),
            today=TODAY,
            reason="r",
            approver="a",
            workdays=2,
            calendar=provisional,
        )
        saved = repository.save_case(conn, case, extended)
        moved = rules.recompute_deadlines(saved, calendar=Weekdays(shift=1))
        repository.save_case(conn, saved, moved)
    with database.read() as conn:
        loaded = case_rows.load_case(SessionRows(conn), CaseNumber(2026, 1))
    assert loaded == moved
    assert replace(loaded.extensions[0], id=None).new_due == D("2026-03-20")


# --- services: the deadline recheck --------------------------------------------------------------


def test_recheck_recomputes_provisional_deadlines_and_audits_each_change(tmp_path) -> None:
    from fupin_cli.domain.calendar import WorkCalendar
    from fupin_cli.services import case_steps, case_views, deadlines
    from fupin_cli.settings import Settings

    settings = Settings(db=str(tmp_path / "recheck.db"), user="测试员", today=D("2035-03-12"), home=tmp_path)
    # 2035's schedule is not published for years: its deadlines are estimated, hence provisional.
    provisional = in_unit_of_work(case_steps.open_case, settings=settings, title="暂定期限", category="政策", on=D("2035-03-01"))
    explicit = in_unit_of_work(case_steps.open_case, settings=settings, title="指定期限", category="政策", on=D("2035-03-01"))
    for view in (provisional, explicit):
        in_unit_of_work(case_steps.approve_case, settings=settings, number=view.no, approver="王主任", on=D("2035-03-01"))
    in_unit_of_work(case_steps.assign_case, settings=settings, number=provisional.no, unit="唐县", on=D("2035-03-01"))
    in_unit_of_work(case_steps.assign_case,
        settings=settings,
        number=explicit.no,
        unit="易县",
        due=D("2035-03-30"),
        basis="通知",
        on=D("2035-03-01"),
    )
    in_unit_of_work(case_steps.extend_case,
        settings=settings, number=provisional.no, workdays=2, reason="r", approver="a", on=D("2035-03-12")
    )
    before = case_views.show_case(settings=settings, number=provisional.no).case
    assert before.due_provisional and before.extensions[0].provisional
    assert (before.original_due, before.due) == (D("2035-03-15"), D("2035-03-19"))

    # The schedule arrives and makes Monday 2035-03-05 a rest day: every computed link moves one day.
    published = WorkCalendar(
        holidays={D("2035-03-05"): "测试假日"},
        workdays={},
        sources={year: "测试" for year in range(2004, 2037)},
        last_year=2036,
    )
    changes = in_unit_of_work(deadlines.recheck, settings=settings, recheck_calendar=False, calendar=published)
    # A typed due date in a provisional year is provisional too (民法典 203 may move it); once the
    # schedule is published it stands, and only its mark goes.
    assert [(c.no, c.original_due_after, c.due_after, c.provisional_after) for c in changes] == [
        (provisional.no, D("2035-03-16"), D("2035-03-20"), False),
        (explicit.no, D("2035-03-30"), D("2035-03-30"), False),
    ]
    assert changes[0].dates_changed and changes[0].extensions_changed == 1
    # The stored dates now agree with `published`, not with the calendar this run loads: a read says so.
    with pytest.warns(CalendarChangedWarning):
        after = case_views.show_case(settings=settings, number=provisional.no)
    assert (after.case.original_due, after.case.due, after.case.due_provisional) == (
        D("2035-03-16"),
        D("2035-03-20"),
        False,
    )
    assert (after.case.extensions[0].old_due, after.case.extensions[0].new_due) == (
        D("2035-03-16"),
        D("2035-03-20"),
    )
    assert after.timeline[-1].action == "recheck"
    assert (
        after.timeline[-1].before["due"] == "2035-03-19" and after.timeline[-1].after["due"] == "2035-03-20"
    )
    with pytest.warns(CalendarChangedWarning):
        assert case_views.show_case(settings=settings, number=explicit.no).case.due == D("2035-03-30")
    assert in_unit_of_work(deadlines.recheck, settings=settings, recheck_calendar=False, calendar=published) == []

    from fupin_cli.storage.db import open_database

    database = open_database(settings.db)
    try:
        with database.read() as conn:
            assert verify_chain(conn)[1] is None
    finally:
        database.dispose()


def test_the_calendar_is_rechecked_by_the_unit_of_work_not_by_opening(tmp_path) -> None:
    from fupin_cli.services.calendar import CALENDAR_KEY
    from fupin_cli.services.database import connect
    from fupin_cli.services.unit_of_work import unit_of_work
    from fupin_cli.settings import Settings

    settings = Settings(db=str(tmp_path / "once.db"), user="测试员", today=TODAY, home=tmp_path)

    def calendar_remembered() -> bool:
        database = connect(settings)  # opening alone writes nothing for the calendar…
        try:
            with database.read() as conn:
                return CALENDAR_KEY in conn.execute(text("SELECT name FROM reference_file")).scalars().all()
        finally:
            database.dispose()

    assert not calendar_remembered()
    assert not calendar_remembered()
    with unit_of_work(settings) as uow:  # …a write command's unit of work takes the calendar into account first…
        assert CALENDAR_KEY in uow.connection().execute(text("SELECT name FROM reference_file")).scalars().all()
    assert calendar_remembered()
    with unit_of_work(settings, recheck_calendar=False) as uow:  # …unless it is `cal recheck` itself
        uow.connection().execute(text("DELETE FROM reference_file WHERE name = :name"), {"name": CALENDAR_KEY})
    assert not calendar_remembered()


def test_a_write_that_fails_takes_the_recheck_and_its_events_back_with_it(tmp_path) -> None:
    from fupin_cli.domain.audit import AuditAction
    from fupin_cli.services.calendar import CALENDAR_KEY
    from fupin_cli.services.database import connect
    from fupin_cli.services.unit_of_work import unit_of_work
    from fupin_cli.settings import Settings

    settings = Settings(db=str(tmp_path / "undo.db"), user="测试员", today=TODAY, home=tmp_path)
    with pytest.raises(NotFoundError), unit_of_work(settings) as uow:
        uow.record(subject="测试", action=AuditAction.RECHECK, effective_on=TODAY, before=None, after={"a": 1})
        raise NotFoundError("没有这个督查事项")
    database = connect(settings)
    try:
        with database.read() as conn:
            assert CALENDAR_KEY not in conn.execute(text("SELECT name FROM reference_file")).scalars().all()
            assert list(iter_events(conn)) == []
    finally:
        database.dispose()


def test_the_events_of_a_unit_of_work_are_chained_once_at_its_commit_in_order(tmp_path) -> None:
    from fupin_cli.domain.audit import AuditAction
    from fupin_cli.services.database import connect
    from fupin_cli.services.unit_of_work import unit_of_work
    from fupin_cli.settings import Settings

    settings = Settings(db=str(tmp_path / "chain.db"), user="测试员", today=TODAY, home=tmp_path)
    with unit_of_work(settings) as uow:
        for n in range(3):
            uow.record(subject=f"第{n}件", action=AuditAction.RECHECK, effective_on=TODAY, before=None, after={"n": n})
        assert list(iter_events(uow.connection())) == []  # nothing appended before the commit
    database = connect(settings)
    try:
        with database.read() as conn:
            events = list(iter_events(conn))
            assert [(e["subject"], e["operator"]) for e in events] == [(f"第{n}件", "测试员") for n in range(3)]
            assert verify_chain(conn) == (3, None)
    finally:
        database.dispose()


