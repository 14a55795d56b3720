"""diglot: data about people plus a commentary, rendered as multilingual reports."""

__version__ = "0.1.0"
