"""Internationalisation: catalogs, the data extractor and locale-aware formatting."""
