"""The rules file's YAML read strictly (toolkit/rules/yamlfile.py): a key stated twice
in one mapping is exit 2 naming both lines, a YAML alias is refused (the schema never
needs one), through ``load_rules`` and through a base file of ``extends:``."""

from __future__ import annotations

import pytest

from toolkit import paths
from toolkit.exceptions import RulesError
from toolkit.rules.load import load_rules

RULES_2022 = (paths.PROJECT_ROOT / "rules" / "2022.yaml").read_text(encoding="utf-8")


def _line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the ``nth`` occurrence of ``needle``."""
    at = -1
    for _ in range(nth):
        at = text.index(needle, at + 1)
    return text.count("\n", 0, at) + 1


def _after(anchor: str, extra: str) -> str:
    """The 2022 file with ``extra`` inserted after the first ``anchor``."""
    assert anchor in RULES_2022
    return RULES_2022.replace(anchor, anchor + extra, 1)


# (case, the line after which a second statement is inserted, that statement, the key)
DUPLICATES = [
    ("a bound", "        bound: 30000\n", "        bound: 3000\n", "bound"),
    ("a top-level key", "year: 2022\n", "year: 2022\n", "year"),
    ("a criterion's key", "      - id: income\n", "        id: revenue\n", "id"),
    ("a form's side", "      side: left\n", "      side: right\n", "side"),
    ("a setting", "    value: 0.8\n", "    value: 0.9\n", "value"),
]


@pytest.mark.parametrize("case,anchor,extra,key", DUPLICATES, ids=[d[0] for d in DUPLICATES])
def test_a_key_stated_twice_names_both_lines(tmp_path, case, anchor, extra, key):
    text = _after(anchor, extra)
    line = _line_of(text, anchor)
    _refused_twice(tmp_path, text, key, line, line + 1)


def test_an_award_stated_twice_names_both_lines(tmp_path):
    block = RULES_2022[RULES_2022.index("  staff.collective:\n"):RULES_2022.index("  professional.collective:\n")]
    text = RULES_2022.replace("\nflags:\n", "\n" + block + "\nflags:\n", 1)
    _refused_twice(tmp_path, text, "staff.collective", _line_of(text, "  staff.collective:\n"),
                   _line_of(text, "  staff.collective:\n", 2))


def _refused_twice(tmp_path, text: str, key: str, line1: int, line2: int) -> None:
    p = tmp_path / "2022.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_rules(2022, p)
    message = str(err.value)
    assert err.value.exit_code == 2 and str(p) in message
    assert f"the key {key!r} is stated twice" in message and f"lines {line1} and {line2}" in message, message


LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 10)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True))

# (case, file text, the line the message names)
ALIASES = [
    ("nested aliases (a kilobyte that expands to a billion nodes)", LAUGHS, 1),
    ("one alias of a criterion", RULES_2022.replace(
        "        unit: yuan\n", "        unit: &money yuan\n", 1).replace(
        "        bound: 600000\n        unit: yuan\n", "        bound: 600000\n        unit: *money\n", 1), None),
    ("a merge key from an anchor", "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n", 1),
]


@pytest.mark.parametrize("case,text,line", ALIASES, ids=[a[0] for a in ALIASES])
def test_an_alias_is_refused_naming_the_line(tmp_path, case, text, line):
    p = tmp_path / "2022.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_rules(2022, p)
    message = str(err.value)
    assert err.value.exit_code == 2 and "alias" in message and str(p) in message, message
    assert err.value.row == (line if line is not None else _line_of(text, "&money"))


def test_an_anchor_alone_is_plain_yaml(tmp_path):
    p = tmp_path / "2022.yaml"
    p.write_text(RULES_2022.replace("year: 2022\n", "year: &y 2022\n", 1), encoding="utf-8")
    assert load_rules(2022, p).year == 2022


def test_a_base_file_with_a_key_twice_is_refused_naming_the_base(tmp_path):
    base = tmp_path / "2022.yaml"
    base.write_text(_after("        bound: 30000\n", "        bound: 3000\n"), encoding="utf-8")
    own = tmp_path / "candidate.yaml"
    own.write_text("year: 2022\nextends: 2022\n", encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_rules(2022, own)
    assert str(base) in str(err.value) and "'bound' is stated twice" in str(err.value)
