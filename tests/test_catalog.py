"""Every label of the interface exists in English, Spanish and French, with the same blanks."""

from __future__ import annotations

import re

from sectorguide.labels import label_catalog
from sectorguide.vocabulary import LANGUAGES

from .conftest import REPO


def test_every_label_has_three_languages_with_the_same_placeholders() -> None:
    for key, entry in label_catalog().items():
        assert set(entry) == set(LANGUAGES), key
        for lang in LANGUAGES:
            assert entry[lang].strip(), (key, lang)
        blanks = {lang: sorted(re.findall(r"\{(\w+)\}", entry[lang])) for lang in LANGUAGES}
        assert blanks["en"] == blanks["es"] == blanks["fr"], (key, blanks)


def test_every_label_the_templates_use_exists() -> None:
    templates = REPO / "scripts" / "sectorguide" / "templates"
    used = set()
    for path in templates.rglob("*.j2"):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+)["']""", path.read_text("utf-8")))
    assert used, "the templates should use labels"
    keys = set(label_catalog())
    prefixes = {u for u in used if u.endswith("_")}  # t("status_" ~ case.status) and the like
    assert sorted(used - prefixes - keys) == []
    assert sorted(p for p in prefixes if not any(k.startswith(p) for k in keys)) == []


def test_spanish_and_french_labels_are_not_copies_of_english() -> None:
    same = [key for key, entry in label_catalog().items()
            if entry["en"] == entry["es"] == entry["fr"] and re.search(r"[a-z]{4}", entry["en"])]
    assert len(same) <= 3, same  # a few words are the same in the three languages
