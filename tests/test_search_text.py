"""The French text Pagefind indexes: a space after each elision, so that a word is found
without its article ("alliance" finds "l’Alliance"); the search page undoes it in what it
shows (tests/test_browser.py searches with and without the article)."""

from __future__ import annotations

import pytest
from sectorguide.search import elisions_apart, search_document


@pytest.mark.parametrize(("written", "indexed"), [
    ("<p>L’Alliance et d’égalité, qu’il</p>", "<p>L’ Alliance et d’ égalité, qu’ il</p>"),
    ("<p>l'OIT, l&#39;OIT, jusqu’à</p>", "<p>l' OIT, l&#39; OIT, jusqu’ à</p>"),
    # an elision before a tag: the word inside the tag is apart too
    ("<p>l’<em>Alliance</em> du Pacifique</p>", "<p>l’ <em>Alliance</em> du Pacifique</p>"),
    # words with an apostrophe inside, not elisions, and attributes, stay as written
    ("<p>aujourd’hui, quelqu’un</p>", "<p>aujourd’hui, quelqu’un</p>"),
    ('<a title="l’air" href="d’x">3l’x</a>', '<a title="l’air" href="d’x">3l’x</a>'),
])
def test_french_elisions_are_set_apart_in_the_text_only(written: str, indexed: str) -> None:
    assert elisions_apart(written) == indexed


def test_only_french_documents_are_changed() -> None:
    article = "<article><p>Canada’s l’Alliance</p></article>"
    assert article in search_document("en", "<title>t</title>", article)
    assert "l’ Alliance" in search_document("fr", "<title>t</title>", article)
