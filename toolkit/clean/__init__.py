"""clean: see docs/architecture.md."""
