"""toolkit plan: a year's data under a candidate rules file (docs/planning.md):
:mod:`~toolkit.plan.compute` the figures, :mod:`~toolkit.plan.report` the page's
sections, :mod:`~toolkit.plan.run` the command and its files."""
