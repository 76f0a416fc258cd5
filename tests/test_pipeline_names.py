"""The per-unit report file names: readable (name and id, Chinese kept), valid on
Windows and Linux, short enough, one per unit."""

from __future__ import annotations

import pytest

from toolkit.exceptions import ParameterError
from toolkit.pipeline import names

WINDOWS_REFUSES = set('<>:"/\\|?*') | {chr(c) for c in range(32)}


def _valid(stem: str) -> bool:
    return (stem and not WINDOWS_REFUSES & set(stem) and stem == stem.strip(" .")
            and len((stem + ".ipynb").encode("utf-8")) <= 255)


def test_a_name_is_the_units_name_and_id_with_chinese_kept():
    stems = names.unit_file_stems([("073100", "长沙开放大学"), ("U002", None), ("U003", "U003")])
    assert stems == {"073100": "长沙开放大学_073100", "U002": "U002", "U003": "U003"}


def test_ids_that_clean_to_the_same_name_get_distinct_readable_names():
    units = [("a/b", "甲"), ("a\\b", "甲"), ("a_b", "甲"), ("A_B", "甲"),
             ("长沙01", "开放大学"), ("株洲01", "开放大学")]
    stems = names.unit_file_stems(units)
    assert len({s.casefold() for s in stems.values()}) == len(units)  # case-insensitive file systems too
    assert stems["长沙01"] == "开放大学_长沙01" and stems["株洲01"] == "开放大学_株洲01"
    for uid in ("a/b", "a\\b", "a_b", "A_B"):
        assert stems[uid].startswith(f"甲_{uid.replace('/', '_').replace(chr(92), '_')}_"), stems[uid]
        assert stems[uid].endswith(names.unit_hash(uid))
    assert all(_valid(s) for s in stems.values()), stems


@pytest.mark.parametrize(("uid", "name"), [
    ("CON", None), ("nul.txt", None), ("..", None), ("x\u202egpj.exe", "名\t称"), (" .a. ", "  "),
    ("a" * 300, None), ("长" * 300, "株洲" * 100), ("😀" * 100, None),
])
def test_hostile_and_long_ids_give_valid_names(uid, name):
    stem = names.unit_file_stems([(uid, name)])[uid]
    assert _valid(stem), stem
    assert len(stem.encode("utf-8")) <= names.MAX_STEM_BYTES
    assert stem.split(".")[0].upper() not in {"CON", "NUL"}
    assert "\u202e" not in stem


def test_long_ids_sharing_a_prefix_stay_distinct():
    units = [("长" * 300 + "1", None), ("长" * 300 + "2", None), ("a" * 300, None), ("a" * 299 + "b", None)]
    stems = names.unit_file_stems(units)
    assert len(set(stems.values())) == 4
    assert all(s.endswith(names.unit_hash(u)) and _valid(s) for u, s in stems.items())
    assert stems[units[0][0]].startswith("长" * 30)  # still readable


def test_units_that_cannot_be_told_apart_stop_the_run(monkeypatch):
    monkeypatch.setattr(names, "unit_hash", lambda uid, digits=8: "0" * digits)
    with pytest.raises(ParameterError) as err:
        names.unit_file_stems([("a/b", None), ("a\\b", None)])
    assert err.value.exit_code == 2 and "'a/b'" in str(err.value) and "'a\\\\b'" in str(err.value)
