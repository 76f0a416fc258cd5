"""The command line: a thin wrapper over the library (see docs/interfaces.md).

Exit status: 0 done; 2 the input or the parameters are unusable; 1 anything else,
with the failing stage named. Never a Python traceback (but with ``-v``).
"""

from __future__ import annotations

import argparse
import functools
import logging
import sys

from toolkit import __version__
from toolkit.cli_parser import Parser, parser_language
from toolkit.exceptions import ParameterError, ToolkitError, printable
from toolkit.i18n import LANGUAGES, language_from_env, set_language
from toolkit.i18n import gettext as _

log = logging.getLogger("toolkit")

YEAR_MIN, YEAR_MAX = 2000, 2100


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("--year must be a four-digit year, got {text!r}").format(text=text)) from None
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise argparse.ArgumentTypeError(_("--year must be between {low} and {high}, got {year}").format(
            low=YEAR_MIN, high=YEAR_MAX, year=year))
    return year


def _formats(text: str) -> tuple[str, ...]:
    parts = tuple(p.strip().lower() for p in text.split(",") if p.strip())
    bad = [p for p in parts if p not in ("html", "pdf")]
    if bad or not parts:
        raise argparse.ArgumentTypeError(_("--format takes html, pdf or html,pdf; got {text!r}").format(text=text))
    return parts


def _years(text: str) -> list[int]:
    """--years: 2021-2023, 2021,2023 (years: docs/years.md)."""
    from toolkit.pipeline.years import parse_years  # only when --years is given: start-up time

    try:
        return parse_years(text)
    except ParameterError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--years: ")) from None


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="toolkit", description=_("Evaluate Hunan Open University units for the training awards."))
    p.add_argument("--version", action="version", version=f"toolkit {__version__}",
                   help=_("show program's version number and exit"))
    p.add_argument("-v", "--verbose", action="store_true", help=_("log debugging detail"))
    p.add_argument("--lang", choices=tuple(LANGUAGES), default=None,
                   help=_("the language of the messages: zh (Simplified Chinese, the default) or en "
                          "(also chosen by an English locale, e.g. LANGUAGE=en)"))
    p.add_argument("-q", "--quiet", action="store_true",
                   help=_("no progress: a successful command prints one summary line at most, a failing one its error"))
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)

    def common(sp, *, rules=True, cache=True, span=False):
        if span:  # years: `run --years` (docs/years.md), instead of --year
            which = sp.add_mutually_exclusive_group(required=True)
            which.add_argument("--year", type=_year, help=_("the evaluation year, e.g. 2022"))
            which.add_argument("--years", type=_years, help=_("a span of years: 2021-2023 or 2021,2023; "
                               "each year with its own rules, then <out>/index.html; --data-dir, --rules "
                               "and --out then name the parent folders of the years' (<D>/<year>, "
                               "<R>/<year>.yaml, <O>/<year>)"))
        else:
            sp.add_argument("--year", type=_year, required=True, help=_("the evaluation year, e.g. 2022"))
        sp.add_argument("--data-dir", default=None, help=_("the year's input folder (default data/<year>)"))
        if rules:
            sp.add_argument("--rules", default=None, help=_("the rules file (default rules/<year>.yaml)"))
        if cache:
            sp.add_argument("--no-cache", action="store_true", help=_("read every input afresh"))

    r = sub.add_parser("run", help=_("the whole evaluation: ingest, evaluate, notebooks, report, forms"))
    common(r, span=True)
    r.add_argument("--out", default=None, help=_("output folder (default reports/<year>)"))
    r.add_argument("--force", action="store_true", help=_("run even when the published run is current (the same "
                   "inputs, rules, code and options); with --years: every year"))
    r.add_argument("--format", type=_formats, default=("html", "pdf"), help=_("html, pdf or html,pdf"))
    r.add_argument("--per-unit", action="store_true", help=_("also one report per unit under units/"))
    r.add_argument("--timeout", type=int, default=1800, help=_("seconds a notebook cell may take"))
    r.add_argument("--wait", type=float, default=0, help=_("seconds to wait for another run of the year"))
    # the engines of toolkit.metrics.engine.ENGINES (not imported here: start-up time)
    r.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb",
                   help=_("what runs the metric SQL: duckdb (default) or spark (the spark extra)"))

    v = sub.add_parser("validate", help=_("ingest and check only; print the ledger and the problems"))
    common(v)

    d = sub.add_parser("demo-data", help=_("write the synthetic data set for a year"))
    d.add_argument("--year", type=_year, required=True)
    d.add_argument("--out", default=None, help=_("output folder (default data/<year>)"))
    d.add_argument("--scale", choices=("demo", "province"), default="demo")
    d.add_argument("--seed", type=int, default=20221231)
    d.add_argument("--format", choices=("mixed", "csv", "xlsx"), default="mixed",
                   help=_("file formats: the messy demo mix, or all CSV / all xlsx (benchmark)"))
    d.add_argument("--no-review", action="store_true",
                   help=_("without the demo review round (评审专家.xlsx and 评审意见/; written for a year with rules)"))

    f = sub.add_parser("forms", help=_("pre-filled approval forms and the meeting roster"))
    common(f)
    f.add_argument("--out", default=None, help=_("output folder (default reports/<year>)"))

    # --- rules across years and the planner (docs/planning.md, docs/rules.md) ---
    ru = sub.add_parser("rules", help=_("a year's rules as resolved, or what changed between two years"))
    which = ru.add_mutually_exclusive_group(required=True)
    which.add_argument("--diff", nargs=2, type=_year, metavar=("Y1", "Y2"), help=_("what changed from Y1 to Y2"))
    which.add_argument("--show", type=_year, metavar="Y", help=_("year Y's rules, carry-over resolved"))
    ru.add_argument("--rules-dir", default=None, help=_("the folder of the <year>.yaml files (default rules/)"))
    pl = sub.add_parser("plan", help=_("the year's data under a candidate rules file: outcome changes, sensitivity"))
    pl.add_argument("--year", type=_year, required=True, help=_("the evaluation year, e.g. 2022"))
    pl.add_argument("--rules", required=True, help=_("the candidate rules file (CANDIDATE.yaml)"))
    pl.add_argument("--data-dir", default=None, help=_("the year's input folder (default data/<year>)"))
    pl.add_argument("--out", default=None, help=_("output folder (default reports/<year>/plan/<candidate>)"))
    pl.add_argument("--range", default=None, metavar="LOW:HIGH",
                    help=_("the bounds tried, as shares of the current bound (default 0.5:1.5)"))
    pl.add_argument("--steps", type=int, default=None, help=_("how many bounds are tried (default 11)"))
    pl.add_argument("--no-cache", action="store_true", help=_("read every input afresh"))
    # intake: the returned approval forms into the nominations table
    i = sub.add_parser("intake", help=_("the returned approval forms (.docx) into the nominations table"))
    common(i, cache=False)
    i.add_argument("folder", help=_("the folder of the returned forms (sub-folders included)"))
    mode = i.add_mutually_exclusive_group()
    mode.add_argument("--merge", action="store_const", const="merge", dest="mode", default="new",
                      help=_("keep the nominations table's rows; a form of the same award, unit and nominee "
                           "replaces its row"))
    mode.add_argument("--replace", action="store_const", const="replace", dest="mode",
                      help=_("write the forms' rows only, in place of the nominations table"))
    return p


class _OwnLines(logging.Filter):
    """The terminal gets the toolkit's own lines; a library's (WeasyPrint, fontTools,
    papermill, ...) only from ERROR up: its warnings and chatter are shown with -v."""

    def filter(self, record: logging.LogRecord) -> bool:
        return (record.levelno >= logging.ERROR or record.name == "toolkit"
                or record.name.startswith("toolkit."))


def _setup_logging(verbose: bool, quiet: bool = False) -> None:
    """Levels (docs/interfaces.md): the stages' progress at INFO, shown but with -q;
    -v shows DEBUG and every library's lines; -q leaves the toolkit's warnings and errors."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    if not verbose:
        handler.addFilter(_OwnLines())
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO,
                        handlers=[handler])


def _language(argv: list[str]) -> str:
    """``--lang``'s value if it names a language, else the locale's (docs/messages.md)."""
    for i, word in enumerate(argv):
        value = word.removeprefix("--lang=") if word.startswith("--lang=") else \
            argv[i + 1] if word == "--lang" and i + 1 < len(argv) else None
        if value in LANGUAGES:
            return value
    return language_from_env()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    set_language(_language(argv))
    with parser_language():  # argparse's own words (usage, errors) in the same language
        args = build_parser().parse_args(argv)
    _setup_logging(args.verbose, args.quiet)
    try:
        return _dispatch(args)
    except ToolkitError as exc:
        print(_("toolkit: error: {message}").format(message=exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(_("toolkit: interrupted"), file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - an unforeseen failure: one line, the traceback with -v
        log.debug("%s failed", args.command, exc_info=True)
        print(_("toolkit: error: {command} failed: {error}: {message} (toolkit -v shows the details)").format(
            command=args.command, error=type(exc).__name__, message=printable(str(exc))), file=sys.stderr)
        return 1


def _run_spec(args):
    """The run's specification (toolkit.pipeline.spec), built from the options alone:
    the one value ``run`` and ``forms`` hand to the pipeline, recorded in the manifest."""
    from toolkit.pipeline.spec import RunSpec  # light: no stage of the pipeline is imported

    if args.command == "forms":
        return RunSpec(args.year, data_dir=args.data_dir, rules=args.rules, out=args.out,
                       use_cache=not args.no_cache, progress=False)
    return RunSpec(None if args.years else args.year, data_dir=args.data_dir, rules=args.rules, out=args.out,
                   formats=args.format, per_unit=args.per_unit, use_cache=not args.no_cache,
                   timeout=args.timeout, engine=args.engine, wait=args.wait, progress=not args.quiet,
                   force=args.force)


def _dispatch(args) -> int:
    if args.command == "demo-data":
        from toolkit.demo import write_demo_data

        out = write_demo_data(args.year, args.out, scale=args.scale, seed=args.seed, fmt=args.format)
        if args.scale == "demo":  # the award cycle's objections register (docs/review-cycle.md)
            from toolkit.demo.objections import write_objections

            write_objections(args.year, out)
        print(_("demo data for {year} written to {folder}").format(year=args.year, folder=out))
        if args.scale == "demo" and not args.no_review:
            from toolkit.demo.reviews import write_demo_review

            review = write_demo_review(args.year, out)
            if review:
                print(_("demo review round: {roster} and {n} returned copies under {folder}/").format(
                    roster=review[0].name, n=len(review) - 1, folder=review[1].parent.name))
        return 0
    if args.command == "validate":
        from toolkit.analysis import open_year
        from toolkit.clean.validation import validation_report
        from toolkit.rules.load import load_rules

        rules = load_rules(args.year, args.rules)
        yd = open_year(args.year, args.data_dir, rules=rules, use_cache=not args.no_cache,
                       progress=not args.quiet)
        # the award cycle's files (docs/review-cycle.md): checked also with -q
        from toolkit.evaluation.evaluate import evaluate
        from toolkit.review.cycle import review_summary
        from toolkit.review.objections import objections_summary

        # the review files and the objections register are both checked against the
        # year's evaluation: evaluated once, when the first of them needs it
        screening = functools.cache(lambda: evaluate(yd, rules))
        cycle = review_summary(yd, args.rules, screening) + objections_summary(yd, rules, screening)
        if args.quiet:
            from toolkit.clean.validation import validation_summary

            print(validation_summary(yd))
            return 0
        print(validation_report(yd))
        print("\n".join(cycle))
        return 0
    spec = _run_spec(args) if args.command in ("run", "forms") else None
    if args.command == "run" and args.years:  # years: docs/years.md
        from toolkit.pipeline.years import run_years

        span = run_years(args.years, spec)
        for y in span.years:
            print((_("{year}: recomputed -> {folder}") if y.recomputed else
                   _("{year}: unchanged, kept -> {folder}")).format(year=y.year, folder=y.out_dir))
        print((_("index of {n} years written: {index}") if span.index_rebuilt else
               _("index of {n} years unchanged: {index}")).format(n=len(span.years), index=span.index))
        return 0
    if args.command == "run" and not args.force:
        # before the pipeline is imported: an unchanged year costs the hashing of its inputs
        from toolkit.pipeline.unchanged import kept_run

        kept = kept_run(spec)
        if kept is not None:
            print(_("report for {year} unchanged, kept: {folder} (--force runs it again)").format(
                year=args.year, folder=kept))
            return 0
    if args.command == "run":
        from toolkit.pipeline.run import run_year

        out = run_year(spec)
        print(_("report for {year} written to {folder}").format(year=args.year, folder=out))
        return 0
    if args.command == "forms":
        from toolkit.pipeline.run import forms_only

        out = forms_only(spec)
        print(_("forms for {year} written to {folder}").format(year=args.year, folder=out))
        return 0
    if args.command in ("rules", "plan"):  # the planner's commands
        from toolkit.plan.commands import run_command

        return run_command(args)
    if args.command == "intake":
        from toolkit.intake import intake_forms
        from toolkit.rules.load import load_rules

        rules = load_rules(args.year, args.rules)
        result = intake_forms(args.year, args.folder, args.data_dir, mode=args.mode, rules=rules)
        print(result.ledger.render(rules.labels()))
        print(_("ledger saved: {file}").format(file=result.ledger_file))
        return 0
    raise ParameterError(_("unknown command {command!r}").format(command=args.command))
