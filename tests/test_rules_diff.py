"""What changed between two years' rules (toolkit/rules/diff.py, ``toolkit rules``):
clause by clause, with the Chinese labels and values in their unit; exit 2 for a
missing year."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from toolkit.cli import main
from toolkit.rules.diff import diff_rules, format_changes, value_text
from toolkit.rules.load import load_rules

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@pytest.fixture
def folder(tmp_path) -> Path:
    shutil.copy(ROOT / "rules" / "2022.yaml", tmp_path / "2022.yaml")
    shutil.copy(HERE / "rules_years" / "2023.yaml", tmp_path / "2023.yaml")
    return tmp_path


def _by(changes, **kw):
    return [c for c in changes if all(getattr(c, k) == v for k, v in kw.items())]


def test_the_changes_of_2023_clause_by_clause(folder):
    a, b = load_rules(2022, folder / "2022.yaml"), load_rules(2023, folder / "2023.yaml")
    changes = diff_rules(a, b)
    (bound,) = _by(changes, award="staff.collective", criterion="paid_trainees", field="bound")
    assert (bound.old, bound.new) == (30000, 28000)
    assert "年度参培人数（缴费人数）（附件1 一.2(1)）" in bound.text and "30,000 人 → 28,000 人" in bound.text
    (wording,) = _by(changes, award="staff.collective", criterion="paid_trainees", field="wording")
    assert "达到28000人" in wording.text
    (removed,) = _by(changes, kind="removed", criterion="refund_rate")
    assert removed.award == "staff.collective" and "≤ 1.5%" in removed.text and "附件1 一.2(5)" in removed.text
    (added,) = _by(changes, kind="added", criterion="refund_rate")
    assert added.award == "professional.collective" and "≤ 2%" in added.text
    (award,) = _by(changes, kind="removed", award="innovation.professional", criterion=None)
    assert "专业技术人员继续教育培训创新创意奖" in award.text
    (note,) = _by(changes, criterion="dedicated_team", field="note")
    assert note.new is None
    (clause,) = _by(changes, award="professional.collective", criterion=None, field="clause")
    assert clause.new == "附件3 一（2023）"
    assert {c.section for c in changes if c.award is None} == {"year", "period", "cutoff", "as_of",
                                                               "rsvp_deadline"}
    # nothing else: a criterion that did not change is not listed
    assert not _by(changes, criterion="income")


def test_the_same_rules_have_no_changes():
    r = load_rules(2022)
    assert diff_rules(r, r) == []
    assert "（规则相同）" in format_changes(r, r, [])


@pytest.mark.parametrize("value,unit,text", [
    (30000, "persons", "30,000 人"), (0.015, "fraction", "1.5%"), (6, "months", "6 个月"),
    (5000000, "yuan", "5,000,000 元"), (4000, "person_times", "4,000 人次"), (700, "characters", "700 字"),
])
def test_values_are_written_in_their_unit(value, unit, text):
    from fractions import Fraction

    assert value_text(Fraction(str(value)) if isinstance(value, float) else value, unit) == text


def test_the_command_prints_the_diff_and_the_resolved_rules(folder, capsys):
    assert main(["rules", "--diff", "2022", "2023", "--rules-dir", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "[事业单位工作人员培训先进集体]" in out and "30,000 人 → 28,000 人" in out
    assert "- 删除条件 事业单位工作人员培训先进集体 · 退费金额占总收入比例（附件1 一.2(5)）：≤ 1.5%" in out
    assert main(["rules", "--show", "2023", "--rules-dir", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "paid_trainees  年度参培人数（缴费人数）（附件1 一.2(1)）：≥ 28,000 人" in out
    assert "refund_rate  退费金额占总收入比例（附件3 一.2）：≤ 2%" in out


def test_a_missing_year_exits_2_naming_the_file(folder, capsys):
    assert main(["rules", "--diff", "2022", "2021", "--rules-dir", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "2021.yaml" in err and "does not exist" in err


def test_the_review_policy_and_an_awards_form_are_compared(tmp_path):
    import yaml

    raw = yaml.safe_load((ROOT / "rules" / "2022.yaml").read_text(encoding="utf-8"))
    raw["review"] = {"decision": "all", "min_reviewers": 3, "clause": "评审办法 第3条"}
    raw["awards"]["staff.individual"]["form"]["nominee"] = "个人姓名"
    raw["awards"]["staff.individual"]["form"]["attachment"] = "附件8"
    (tmp_path / "2022.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    a, b = load_rules(2022), load_rules(2022, tmp_path / "2022.yaml")
    changes = diff_rules(a, b)
    review = {c.field: c for c in changes if c.section == "review"}
    assert set(review) == {"decision", "min_reviewers", "clause"}
    assert (review["min_reviewers"].old, review["min_reviewers"].new) == (1, 3)
    assert review["decision"].text == "评审规则 评审结论合并方式：多数决 → 全体一致"
    form = {c.field: c for c in changes if c.award == "staff.individual"}
    assert set(form) == {"form.nominee", "form.attachment"}
    assert "推荐审批表 推荐对象栏名称：“先进个人姓名” → “个人姓名”" in form["form.nominee"].text
    out = format_changes(a, b, changes)
    assert "[评审规则]" in out and "最少评审人数：1 → 3" in out and "附件编号：附件2 → 附件8" in out


def _without_wording(src: Path, dst: Path) -> Path:
    """2023.yaml with the dated sections' wording left out (the file states their dates only)."""
    lines = [line for line in src.read_text(encoding="utf-8").splitlines()
             if not (line.startswith("  wording:") or line.startswith("    wording: 回执"))]
    dst.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dst


def test_a_wording_the_newer_file_does_not_state_is_no_change(folder):
    _without_wording(folder / "2023.yaml", folder / "2023.yaml")
    b = load_rules(2023, folder / "2023.yaml")
    assert b.settings["period"].get("wording") is None  # not stated
    changes = diff_rules(load_rules(2022, folder / "2022.yaml"), b)
    assert not [c for c in changes if c.field == "wording" and c.criterion is None], changes
    text = format_changes(load_rules(2022, folder / "2022.yaml"), b, changes)
    assert not [line for line in text.splitlines() if "原文" in line and line.endswith("→ —")]
    assert "统计期间：2022-01-01 00:00:00" in text  # the dates themselves still compare


def test_a_rules_dir_elsewhere_compares_with_the_shipped_year(tmp_path, capsys, monkeypatch):
    # only the new year's file, extends: 2022, in a folder outside the project, run from there
    shutil.copy(HERE / "rules_years" / "2023.yaml", tmp_path / "2023.yaml")
    monkeypatch.chdir(tmp_path)
    assert main(["rules", "--diff", "2022", "2023", "--rules-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "rules/2022.yaml → " in out and "30,000 人 → 28,000 人" in out


def test_a_missing_year_names_this_commands_option(folder, capsys):
    assert main(["rules", "--show", "2021", "--rules-dir", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "--rules-dir" in err and "--rules " not in err.replace("--rules-dir", "")
