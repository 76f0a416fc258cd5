"""evaluation: see docs/architecture.md."""

from toolkit.public import offer

#: what the package offers the others (module -> names; "": its own sub-modules)
__getattr__, __dir__, __all__ = offer(__name__, {
    "evaluate": ("evaluate", "judge_nominee", "judge_unit"),
    "near_misses": ("near_misses",),
    "results": ("Criterion", "Evaluation", "UnitResult", "outcome_of"),
    "serialize": ("evaluation_from_json",),
})
