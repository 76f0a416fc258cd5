"""pipeline: see docs/architecture.md."""

from toolkit.public import offer

#: what the package offers the others (module -> names; "": its own sub-modules)
__getattr__, __dir__, __all__ = offer(__name__, {
    "inprocess": ("execute_in_process",),
    "notebook": ("NOTEBOOKS_DIR",),
    "run": ("forms_only", "run_year"),
    "unchanged": ("kept_run",),
    "years": ("parse_years", "run_years"),
})
