"""diglot test suite."""
