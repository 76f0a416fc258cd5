"""metrics: see docs/architecture.md."""

from toolkit.public import offer

#: what the package offers the others (module -> names; "": its own sub-modules)
__getattr__, __dir__, __all__ = offer(__name__, {
    "compute": (
        "METRIC_LABELS", "exact_value", "int_or_none", "payments_table", "refunds_table",
        "unit_metrics",
    ),
    "engine": ("run",),
    "format": ("fmt_int", "fmt_pct", "fmt_pp", "fmt_yuan"),
    "inputs": ("source_rows",),
    "queries": ("OVER_REFUNDS", "OVER_REFUND_INPUTS"),
    "registry": (
        "COLLECTIVE_METRICS", "DEFINED_METRICS", "METRICS", "NOMINEE_METRICS", "PAYMENTS_TABLE",
        "RATIOS", "REFUNDS_TABLE",
        "TRACK_METRICS", "metric_label",
    ),
})
