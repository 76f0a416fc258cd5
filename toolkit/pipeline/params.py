"""A run's parameters: checked before anything starts (a missing data folder or rules
file, an unknown format, an output folder that cannot be written: exit 2 naming it),
and as ``manifest.json`` records them. Light on purpose: ``toolkit run`` checks whether
the published run is current (``pipeline.unchanged``) before the pipeline is imported."""

from __future__ import annotations

from pathlib import Path

from toolkit import paths
from toolkit.exceptions import ParameterError, RulesError
from toolkit.i18n import gettext as _
from toolkit.pipeline.outdir import check_writable, output_folder

FORMATS = ("html", "pdf")


def check_run(year: int, data_dir, rules, out, formats) -> tuple[Path, Path, Path, tuple[str, ...]]:
    """(data folder, rules file, output folder, formats) of a run, checked (exit 2
    naming what is missing or unwritable); ``toolkit run --years`` checks every year
    with it first."""
    ddir = paths.data_dir(year, data_dir)
    if not ddir.is_dir():
        raise ParameterError(
            _("the data folder of {year} does not exist: {ddir}").format(year=year, ddir=ddir),
            file=ddir, hint=_("put the year's exports there, pass --data-dir, or run `toolkit demo-data --year {year}` for a synthetic year").format(year=year),
        )
    rpath = paths.rules_file(year, rules)
    if not rpath.is_file():
        raise RulesError(
            _("no rules file for {year}: {rpath} does not exist").format(year=year, rpath=rpath),
            file=rpath, hint=_("write rules/{year}.yaml (copy the previous year's and change what the new notice changes) or pass --rules").format(year=year),
        )
    fmts = tuple(dict.fromkeys(f.strip().lower() for f in (formats or FORMATS)))
    bad = [f for f in fmts if f not in FORMATS]
    if bad or not fmts:
        raise ParameterError(_("unknown format {value!r}").format(value=bad[0] if bad else ''), expected=_("html, pdf or html,pdf"))
    out_dir = output_folder(paths.reports_dir(year, out))
    check_writable(out_dir)
    return ddir.absolute(), rpath.absolute(), out_dir, fmts


def run_parameters(year: int, ddir: Path, rpath: Path, out_dir: Path, fmts, *, per_unit: bool,
                   use_cache: bool, timeout: int | None, engine: str) -> dict:
    """The parameters as ``manifest.json`` records them (and ``pipeline.unchanged``
    compares them with a published run's)."""
    return {"year": year, "data_dir": str(ddir), "rules": str(rpath), "out": str(out_dir),
            "formats": list(fmts), "per_unit": bool(per_unit), "use_cache": bool(use_cache),
            "timeout": timeout, "engine": engine}
