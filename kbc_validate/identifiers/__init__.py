"""Identifier modules with python-stdnum's surface: ``compact``, ``validate`` (returns the canonical value or
raises a typed `ValidationError` carrying the catalogue code), ``is_valid`` (never raises) and ``format``."""
