"""Rules carried over from an earlier year's file (``extends:``, toolkit/rules/carry.py):
the resolved rules equal the full file's, chains work, cycles and missing year-specific
dates are errors naming the file and the key, and the sha256 covers the whole chain."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
from pathlib import Path

import pytest

from toolkit.exceptions import RulesError
from toolkit.rules.load import load_rules
from toolkit.rules.model import Rules

HERE = Path(__file__).resolve().parent
YEARS = HERE / "rules_years"
ROOT = HERE.parent
COMPARED = [f.name for f in dataclasses.fields(Rules) if f.name not in ("path", "sha256")]


@pytest.fixture
def folder(tmp_path) -> Path:
    """A rules folder holding the project's 2022 file and the carried-over 2023 file."""
    shutil.copy(ROOT / "rules" / "2022.yaml", tmp_path / "2022.yaml")
    shutil.copy(YEARS / "2023.yaml", tmp_path / "2023.yaml")
    return tmp_path


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_carried_over_file_gives_exactly_the_rules_of_the_full_file():
    carried = load_rules(2023, YEARS / "2023.yaml")
    full = load_rules(2023, YEARS / "2023-full.yaml")
    for name in COMPARED:
        assert getattr(carried, name) == getattr(full, name), name
    assert [c.id for c in carried.criteria("staff.collective")] == [
        "contract_months", "dedicated_team", "paid_trainees", "paid_to_registered", "paid_to_target", "income",
        "major_complaints"]
    assert carried.criterion("staff.collective", "paid_trainees").bound == 28000
    assert carried.criterion("staff.collective", "dedicated_team").note is None
    assert carried.criteria("professional.collective")[-1].id == "refund_rate"
    assert "innovation.professional" not in carried.awards
    assert carried.awards["professional.collective"].clause == "附件3 一（2023）"


def test_the_base_is_the_year_beside_the_file_and_the_sha256_covers_the_chain(folder):
    r = load_rules(2023, folder / "2023.yaml")
    base = load_rules(2022, folder / "2022.yaml")
    own = (folder / "2023.yaml").read_bytes()
    assert r.sha256 == hashlib.sha256(own + b"\n" + base.sha256.encode()).hexdigest()
    # a file without extends keeps the hash of its bytes (evaluation.json unchanged)
    assert base.sha256 == hashlib.sha256((folder / "2022.yaml").read_bytes()).hexdigest()
    # changing the base (a comment only) changes the carried-over file's hash
    _write(folder / "2022.yaml", (folder / "2022.yaml").read_text(encoding="utf-8") + "\n# changed\n")
    assert load_rules(2023, folder / "2023.yaml").sha256 != r.sha256


def test_a_chain_of_three_years(folder):
    _write(folder / "2024.yaml", """year: 2024
extends: 2023
period: {start: "2024-01-01T00:00:00+08:00", end: "2024-12-31T23:59:59+08:00", clause: 附件1 一.2}
cutoff: null
as_of: {date: 2024-12-31, clause: 附件1 一.2}
meeting: {rsvp_deadline: null}
awards:
  staff.collective:
    criteria:
      - id: income
        wording: 培训总收入600万元以上
        bound: 6000000
""")
    r = load_rules(2024, folder / "2024.yaml")
    assert r.criterion("staff.collective", "income").bound == 6000000
    assert r.criterion("staff.collective", "paid_trainees").bound == 28000  # from 2023
    assert r.criterion("staff.collective", "paid_to_registered").bound == load_rules(2022).criterion(
        "staff.collective", "paid_to_registered").bound  # from 2022
    assert r.rsvp_deadline is None and r.cutoff == r.period_end


def test_a_cycle_is_an_error_naming_the_files(tmp_path):
    text = "year: {y}\nextends: {other}.yaml\n"
    _write(tmp_path / "a.yaml", text.format(y=2023, other="b"))
    _write(tmp_path / "b.yaml", text.format(y=2022, other="a"))
    with pytest.raises(RulesError, match="cycle") as e:
        load_rules(path=tmp_path / "a.yaml")
    assert "a.yaml" in str(e.value) and "b.yaml" in str(e.value)


@pytest.mark.parametrize("dropped", ["period", "cutoff", "as_of", "meeting"])
def test_a_new_year_must_state_its_dates(folder, dropped):
    text = (folder / "2023.yaml").read_text(encoding="utf-8")
    start = text.index(f"\n{dropped}:")
    end = text.find("\n\n", start + 2)
    _write(folder / "2023.yaml", text[:start] + (text[end:] if end != -1 else "\n"))
    with pytest.raises(RulesError) as e:
        load_rules(2023, folder / "2023.yaml")
    msg = str(e.value)
    key = "meeting.rsvp_deadline" if dropped == "meeting" else dropped
    assert msg.startswith(f"{key}: ") and "year-specific" in msg and "2023.yaml" in msg, msg


def test_a_file_of_the_same_year_carries_the_dates_over(tmp_path):
    cand = _write(tmp_path / "candidate.yaml", """year: 2022
extends: 2022
awards:
  staff.collective:
    criteria:
      - id: income
        wording: 培训总收入400万元以上
        bound: 4000000
""")
    r, base = load_rules(2022, cand), load_rules(2022)
    assert (r.period_start, r.period_end, r.as_of, r.rsvp_deadline) == (
        base.period_start, base.period_end, base.as_of, base.rsvp_deadline)
    assert r.criterion("staff.collective", "income").bound == 4000000


@pytest.mark.parametrize("change,where,words", [
    ("      - id: no_such\n        remove: true\n", "awards.staff.collective.criteria[0] (no_such)",
     "no such criterion"),
    ("      - id: income\n        remove: true\n        bound: 1\n", "awards.staff.collective.criteria[0] (income)",
     "no other keys"),
    ("      - label: 无编号\n", "awards.staff.collective.criteria[0]", "names its id"),
    # a bound changed without its wording: the merged criterion fails the loader's check
    ("      - id: income\n        bound: 4000000\n", "awards.staff.collective.criteria[5] (income)",
     "differs from the wording"),
])
def test_a_wrong_change_names_the_file_and_the_key(tmp_path, change, where, words):
    p = _write(tmp_path / "candidate.yaml",
               "year: 2022\nextends: 2022\nawards:\n  staff.collective:\n    criteria:\n" + change)
    with pytest.raises(RulesError) as e:
        load_rules(2022, p)
    msg = str(e.value)
    assert msg.startswith(where + ":") and words in msg and "candidate.yaml" in msg, msg


def test_removing_an_award_that_is_not_there_and_a_missing_base(tmp_path):
    p = _write(tmp_path / "c.yaml", "year: 2022\nextends: 2022\nawards:\n  nope.collective:\n    remove: true\n")
    with pytest.raises(RulesError, match=r"^awards\.nope\.collective: remove"):
        load_rules(2022, p)
    p = _write(tmp_path / "d.yaml", "year: 2022\nextends: missing.yaml\nawards: {}\n")
    with pytest.raises(RulesError, match="base rules file .*missing.yaml does not exist"):
        load_rules(2022, p)


def test_an_extending_file_states_its_year(tmp_path):
    p = _write(tmp_path / "c.yaml", "extends: 2022\nawards: {}\n")
    with pytest.raises(RulesError, match=r"^year: a file that extends another states its own year"):
        load_rules(path=p)



def test_a_carried_file_is_hashed_from_the_bytes_parsed(folder, monkeypatch):
    """The file saved again after it was parsed: its recorded sha256 is still that of
    the version the rules were built from (it is never read again for its hash)."""
    from toolkit.rules import carry

    p = folder / "2023.yaml"
    own = p.read_bytes()
    real = carry.merge

    def merged_then_saved_again(*args, **kwargs):
        p.write_bytes(own + b"# saved again\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(carry, "merge", merged_then_saved_again)
    rules = load_rules(2023, p)
    base_sha = hashlib.sha256((folder / "2022.yaml").read_bytes()).hexdigest()
    assert rules.sha256 == hashlib.sha256(own + b"\n" + base_sha.encode("ascii")).hexdigest()
