"""The rules file's optional ``publicity:`` section (toolkit/rules/publicity.py): the days
of the public notice and its clause, printed in the publicity draft; a bad section is
exit 2 naming the file and the key."""

from __future__ import annotations

import pytest
import yaml
from report_helpers import RULES_2022

from toolkit.exceptions import RulesError
from toolkit.outputs.final.publicity import period_line
from toolkit.rules.load import load_rules
from toolkit.rules.publicity import PublicityPolicy


def _rules(tmp_path, publicity):
    raw = yaml.safe_load(RULES_2022.read_text(encoding="utf-8"))
    if publicity is not None:
        raw["publicity"] = publicity
    p = tmp_path / "2022.yaml"
    p.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_rules(2022, p)


GOOD = [
    (None, None, "公示期：____年__月__日至____年__月__日"),
    ({"days": 5, "clause": "评选办法 第六条"}, PublicityPolicy(5, clause="评选办法 第六条"),
     "公示期：____年__月__日至____年__月__日（公示期 5 天（评选办法 第六条））"),
    ({"days": 7, "wording": "公示7天"}, PublicityPolicy(7, wording="公示7天"),
     "公示期：____年__月__日至____年__月__日（公示期 7 天）"),
]


@pytest.mark.parametrize("section,policy,line", GOOD)
def test_the_notice_period_is_read_and_printed(tmp_path, section, policy, line):
    rules = _rules(tmp_path, section)
    assert rules.publicity == policy
    assert period_line(rules.publicity) == line


BAD = [
    ({"days": 0, "clause": "x"}, "publicity.days"),
    ({"days": "五天", "clause": "x"}, "publicity.days"),
    ({"days": True, "clause": "x"}, "publicity.days"),
    ({"days": 5}, "missing 'clause' or 'wording'"),
    ({"days": 5, "clause": "x", "start": "2023-01-01"}, "unknown key 'start'"),
    ("5 days", "expected a mapping"),
]


@pytest.mark.parametrize("section,words", BAD)
def test_a_bad_section_is_exit_2_naming_the_file(tmp_path, section, words):
    with pytest.raises(RulesError) as err:
        _rules(tmp_path, section)
    assert err.value.exit_code == 2 and words in str(err.value) and err.value.file.endswith("2022.yaml")
