"""The guide's fixed vocabulary: its languages and its kinds of case, as the schema names them.

Every stage uses them, from validation on; they live apart from the stages so that none has to
import a later one for them (data flows one way: load, validate, model, render, build, print).
tests/test_reference.py holds them to the schema.
"""

from __future__ import annotations

LANGUAGES = ("en", "es", "fr")
DEFAULT_LANGUAGE = "en"  # the site's root; the other languages below their code
# The kinds of case, in the order the guide shows them: pilot projects in the Pacific Alliance
# countries, activities of a cooperation project there (a diagnosis, a mapping, a workshop),
# and Canadian sector-council practices.
KIND_ORDER = ("pilot_project", "project_activity", "sector_council_practice")
