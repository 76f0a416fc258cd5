"""final/评审记录.xlsx (toolkit.outputs.final.record): the record of every decision,
written with the final list; remarks masked; the same decisions give the same bytes."""

from __future__ import annotations

import openpyxl
import pytest

from toolkit.outputs.final.write import write_final
from toolkit.review.record import record_rows


@pytest.fixture
def decided(governance_decided):
    return governance_decided


def test_the_record_is_written_with_the_final_list(decided, tmp_path):
    screening, ev = decided
    assert write_final(screening, tmp_path / "before") == []  # nothing before the review
    written = write_final(ev, tmp_path / "a")
    path = tmp_path / "a" / "评审记录.xlsx"
    assert path in written
    ws = openpyxl.load_workbook(path)["评审记录"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    headers, expected = record_rows(ev)
    assert rows[0] == headers and rows[1:] == [[v if v != "" else None for v in r] for r in expected]
    flat = "".join(str(v) for r in rows for v in r)
    assert "13912345678" not in flat and "*******5678" in flat
    write_final(ev, tmp_path / "b")
    assert (tmp_path / "b" / "评审记录.xlsx").read_bytes() == path.read_bytes()
