"""Report text written in pieces is the same text as written whole: JSON as one dump of the array,
CSV/TSV across the chunk boundaries."""

import csv
import io
import json
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from fupin_cli.render import tabular as writer
from fupin_cli.render.tabular import Tabular, text_chunks

_VALUE = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**6), st.dates(date(2020, 1, 1), date(2030, 12, 31)),
                   st.text(max_size=8), st.sampled_from(["=1+1", "督查〔2026〕1号", "a\tb", '"引号"', "换\n行"]))  # fmt: skip
KEYS = ("no", "title", "due", "extensions")


def _tabular(rows: list[tuple]) -> Tabular:
    return Tabular("逾期事项", KEYS, KEYS, tuple(dict(zip(KEYS, row, strict=True)) for row in rows))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_VALUE, _VALUE, _VALUE, _VALUE), max_size=40), st.integers(1, 7))
def test_pieces_make_the_whole(rows, chunk_rows) -> None:
    tabular = _tabular(rows)
    plain = [{key: value.isoformat() if isinstance(value, date) else value for key, value in record.items()}
             for record in tabular.records]  # fmt: skip
    assert "".join(text_chunks(tabular, "json")) == json.dumps(plain, ensure_ascii=False, indent=2)
    original = writer._CHUNK_ROWS
    try:
        for output_format in ("tsv", "csv"):
            writer._CHUNK_ROWS = len(rows) + 1
            (whole,) = text_chunks(tabular, output_format)
            writer._CHUNK_ROWS = chunk_rows
            pieces = list(text_chunks(tabular, output_format))
            assert "".join(pieces) == whole
            assert len(pieces) == len(rows) // chunk_rows + 1
            out = io.StringIO()
            csv.writer(out, delimiter="\t" if output_format == "tsv" else ",", lineterminator="\n").writerow(KEYS)
            assert whole.startswith(out.getvalue()) and whole.count("\n") >= len(rows) + 1
    finally:
        writer._CHUNK_ROWS = original
