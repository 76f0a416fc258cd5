"""A run's specification (:class:`RunSpec`): one frozen value, built once by the command
line (or a notebook), passed down as it is to every stage that needs an option, and
recorded as it is in ``manifest.json`` (``parameters``). Checked before anything starts
(a missing data folder or rules file, an unknown format, an output folder that cannot be
written: exit 2 naming it). Light on purpose: ``toolkit run`` checks whether the
published run is current (``pipeline.unchanged``) before the pipeline is imported."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from toolkit import paths
from toolkit.exceptions import ParameterError, RulesError
from toolkit.i18n import gettext as _
from toolkit.pipeline.outdir import check_writable, output_folder

FORMATS = ("html", "pdf")
#: a field with this metadata says how a run goes, not what it writes: not recorded
_NOT_RECORDED = {"recorded": False}


@dataclass(frozen=True)
class RunSpec:
    """What a run of a year is asked to do. The folders are as given (None: the
    defaults ``data/<year>``, ``rules/<year>.yaml``, ``reports/<year>``) until
    :meth:`checked` resolves them; for a span of years (``toolkit run --years``)
    ``year`` is None and :meth:`in_span` gives each year's spec.

    ``wait`` (seconds to wait for another run of the same output), ``progress`` (a
    progress bar on a terminal) and ``force`` (run even when the published run is
    current) say how the run goes; the other fields decide what it writes and are
    :meth:`parameters`, the manifest's record."""

    year: int | None = None
    data_dir: str | Path | None = None
    rules: str | Path | None = None
    out: str | Path | None = None
    formats: tuple[str, ...] = FORMATS
    per_unit: bool = False
    use_cache: bool = True
    timeout: int | None = 1800  # seconds a notebook cell may take
    engine: str = "duckdb"  # what runs the metric SQL (toolkit.metrics.engine)
    wait: float = field(default=0, metadata=_NOT_RECORDED)
    progress: bool = field(default=True, metadata=_NOT_RECORDED)
    force: bool = field(default=False, metadata=_NOT_RECORDED)

    def __post_init__(self) -> None:
        fmts = (self.formats,) if isinstance(self.formats, str) else tuple(self.formats or FORMATS)
        object.__setattr__(self, "formats", fmts)

    def checked(self) -> RunSpec:
        """This spec with its folders resolved (absolute; the output folder as
        :func:`~toolkit.pipeline.outdir.output_folder` names it) and its formats
        normalised, after checking them (ParameterError/RulesError naming what is
        missing or unwritable). Checking a checked spec gives it back unchanged."""
        year = self.year
        if year is None:
            raise ParameterError(_("a run needs a year"), expected="--year, e.g. 2022")
        ddir = paths.data_dir(year, self.data_dir)
        if not ddir.is_dir():
            raise ParameterError(
                _("the data folder of {year} does not exist: {ddir}").format(year=year, ddir=ddir),
                file=ddir, hint=_("put the year's exports there, pass --data-dir, or run "
                                  "`toolkit demo-data --year {year}` for a synthetic year").format(year=year),
            )
        rpath = paths.rules_file(year, self.rules)
        if not rpath.is_file():
            raise RulesError(
                _("no rules file for {year}: {rpath} does not exist").format(year=year, rpath=rpath),
                file=rpath, hint=_("write rules/{year}.yaml (copy the previous year's and change what the "
                                   "new notice changes) or pass --rules").format(year=year),
            )
        fmts = tuple(dict.fromkeys(f.strip().lower() for f in self.formats))
        bad = [f for f in fmts if f not in FORMATS]
        if bad or not fmts:
            raise ParameterError(_("unknown format {value!r}").format(value=bad[0] if bad else ""),
                                 expected=_("html, pdf or html,pdf"))
        out_dir = output_folder(paths.reports_dir(year, self.out))
        check_writable(out_dir)
        return dataclasses.replace(self, data_dir=ddir.absolute(), rules=rpath.absolute(), out=out_dir,
                                   formats=fmts)

    def in_span(self, year: int) -> RunSpec:
        """The checked spec of ``year`` in a span (``toolkit run --years``, docs/years.md):
        ``data_dir`` the parent of the years' data folders (``<data_dir>/<year>``),
        ``rules`` a folder holding ``<year>.yaml``, ``out`` the parent of the years'
        reports (``<out>/<year>``); each defaults as for ``run --year``."""
        ddir = Path(self.data_dir).expanduser() / str(year) if self.data_dir else paths.data_dir(year)
        if self.rules:
            rdir = Path(self.rules).expanduser()
            if rdir.is_file() or rdir.suffix in (".yaml", ".yml"):
                raise ParameterError(
                    _("with --years, --rules names a folder holding <year>.yaml, not a file: {rdir}").format(rdir=rdir),
                    file=rdir, hint=_("put each year's rules in one folder (2021.yaml, 2022.yaml, …) "
                                      "and pass the folder"))
            rpath = rdir / f"{year}.yaml"
        else:
            rpath = paths.rules_file(year)
        odir = Path(self.out).expanduser() / str(year) if self.out else paths.reports_dir(year)
        return dataclasses.replace(self, year=year, data_dir=ddir, rules=rpath, out=odir).checked()

    def parameters(self) -> dict:
        """The spec as ``manifest.json`` records it (``parameters``: every field but
        those that say how the run goes; paths as text), and as ``pipeline.unchanged``
        compares it with a published run's."""
        out = {}
        for f in dataclasses.fields(self):
            if f.metadata.get("recorded", True):
                value = getattr(self, f.name)
                out[f.name] = (list(value) if isinstance(value, tuple)
                               else str(value) if isinstance(value, Path) else value)
        return out
