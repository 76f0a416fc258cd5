"""The ``rules`` and ``plan`` subcommands: toolkit/cli.py parses them and imports this
module only when one of them runs (start-up time)."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

from toolkit import paths
from toolkit.exceptions import ParameterError, RulesError
from toolkit.i18n import gettext as _
from toolkit.plan.compute import HIGH, LOW, STEPS, check_range
from toolkit.plan.run import PlanSpec, plan_year
from toolkit.rules.diff import diff_rules, format_changes, show_rules
from toolkit.rules.load import load_rules


def _rules_path(year: int, rules_dir) -> Path:
    """The year's rules file: ``<year>.yaml`` in ``--rules-dir``, else the one ``toolkit run``
    finds (rules/, then the shipped rules), so a folder holding only the new year's file
    (``extends: 2022``) compares with the shipped 2022 rules. None found: exit 2 naming
    this command's option."""
    if rules_dir:
        own = Path(rules_dir).expanduser().absolute() / f"{year}.yaml"
        if own.is_file():
            return own
    found = paths.rules_file(year).absolute()
    if found.is_file():
        return found
    looked = f"{own} or {found}" if rules_dir else str(found)
    raise RulesError(f"no rules file for {year}: {looked} does not exist", file=own if rules_dir else found,
                     hint=f"write {year}.yaml (see docs/rules.md: `extends:` carries an earlier year's rules over) "
                          "in the folder given by --rules-dir, or pass --rules-dir the folder that holds it")


_SHARE = re.compile(r"\d{1,6}(?:\.\d{1,6})?")


def _range(text: str | None) -> tuple[Fraction, Fraction]:
    """``--range LOW:HIGH``: plain decimals (no exponent, no nan or inf)."""
    if not text:
        return LOW, HIGH
    parts = [p.strip() for p in text.split(":")]
    if len(parts) != 2 or not all(_SHARE.fullmatch(p) for p in parts):
        raise ParameterError(_("--range takes LOW:HIGH, shares of the current bound; got {text!r}").format(text=text),
                             expected="e.g. 0.5:1.5")
    return Fraction(parts[0]), Fraction(parts[1])


def run_command(args) -> int:
    """``toolkit rules --diff Y1 Y2 | --show Y`` and ``toolkit plan``; the exit status."""
    if args.command == "rules":
        if args.show is not None:
            print(show_rules(load_rules(args.show, _rules_path(args.show, args.rules_dir))))
            return 0
        y1, y2 = args.diff
        a = load_rules(y1, _rules_path(y1, args.rules_dir))
        b = load_rules(y2, _rules_path(y2, args.rules_dir))
        print(format_changes(a, b, diff_rules(a, b)))
        return 0
    low, high = _range(args.range)
    low, high, steps = check_range(low, high, STEPS if args.steps is None else args.steps)
    result, out = plan_year(PlanSpec(args.year, args.rules, data_dir=args.data_dir, out=args.out,
                                     use_cache=not args.no_cache, low=low, high=high, steps=steps))
    changed = sum(len(a["changes"]) for a in result.awards)
    print(_("plan of {year} under {rules}: {changed} outcome(s) change; written to {out}").format(year=args.year, rules=args.rules, changed=changed, out=out))
    return 0
