"""rules: see docs/architecture.md."""

from toolkit.public import offer

#: what the package offers the others (module -> names; "": its own sub-modules)
__getattr__, __dir__, __all__ = offer(__name__, {
    "carry": ("rules_sha256",),
    "diff": ("diff_rules", "format_changes", "show_rules", "value_text"),
    "load": ("load_rules",),
    "model": ("Award", "Rules"),
})
