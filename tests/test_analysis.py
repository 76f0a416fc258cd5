"""The analyst's way in (toolkit.analysis): a year read under its rules, evaluated
against the same rules without naming them again."""

from __future__ import annotations

import pytest
from report_helpers import RULES_2022

from toolkit import evaluate, load_rules, load_year, open_year
from toolkit.clean.period import Period
from toolkit.exceptions import ParameterError


def test_a_year_opened_under_its_rules_is_evaluated_against_them(tiny_year):
    rules = load_rules(2022, RULES_2022)
    by_path = open_year(2022, tiny_year, rules=RULES_2022, use_cache=False)
    by_object = open_year(2022, tiny_year, rules=rules, use_cache=False)
    assert by_path.rules_file == by_object.rules_file == str(rules.path)
    assert evaluate(by_path).to_dict() == evaluate(by_object, rules).to_dict()


def test_a_year_served_by_the_store_keeps_its_rules_file(tiny_year, tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "store"))
    open_year(2022, tiny_year, rules=RULES_2022)
    warm = open_year(2022, tiny_year, rules=RULES_2022)
    assert warm.from_cache and warm.rules_file == str(load_rules(2022, RULES_2022).path)


def test_the_cleaning_stage_reads_the_period_it_is_given(tiny_year):
    rules = load_rules(2022, RULES_2022)
    staged = load_year(2022, tiny_year, period=Period.of(rules), use_cache=False)
    opened = open_year(2022, tiny_year, rules=rules, use_cache=False)
    assert staged.tables["nominations"].equals(opened.tables["nominations"])


def test_a_year_read_without_rules_asks_for_them(tiny_year):
    bare = load_year(2022, tiny_year, use_cache=False)  # the calendar year: no award named
    assert bare.rules_file is None and bare.tables["nominations"].empty
    with pytest.raises(ParameterError, match="open_year") as err:
        evaluate(bare)
    assert err.value.exit_code == 2
