"""toolkit plan: a year's data under a candidate rules file (docs/planning.md):
:mod:`~toolkit.plan.compute` the figures, :mod:`~toolkit.plan.report` the page's
sections, :mod:`~toolkit.plan.run` the command and its files."""

from toolkit.public import offer

#: what the package offers the others (module -> names; "": its own sub-modules)
__getattr__, __dir__, __all__ = offer(__name__, {
    "commands": ("run_command",),
})
