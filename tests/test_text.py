"""Contributed text is plain text: a blank line starts a paragraph whatever the YAML style."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sectorguide.load import load_record_file
from sectorguide.render import paragraphs

STYLES = {
    "folded": "text: >-\n  First paragraph,\n  still the first.\n\n  Second paragraph.\n",
    "literal": "text: |\n  First paragraph,\n  still the first.\n\n  Second paragraph.\n",
    "plain": "text: First paragraph,\n  still the first.\n\n  Second paragraph.\n",
    "quoted": 'text: "First paragraph,\n  still the first.\n\n  Second paragraph."\n',
}


@pytest.mark.parametrize("style", sorted(STYLES))
def test_a_blank_line_starts_a_paragraph(style: str, tmp_path: Path) -> None:
    path = tmp_path / "record.yaml"
    path.write_text(STYLES[style])
    record = load_record_file(path, "record.yaml")
    assert record.data is not None
    html = str(paragraphs(record.data["text"]))
    assert html.count("<p>") == 2, html
    assert "<p>First paragraph, still the first.</p>" in html
    assert "<p>Second paragraph.</p>" in html


def test_markup_and_addresses_in_text() -> None:
    html = str(paragraphs("See https://example.org/a?b=1&c=2. <b>not bold</b> {{ config }}"))
    assert '<a href="https://example.org/a?b=1&amp;c=2" class="sg-external">' in html
    assert "&lt;b&gt;not bold&lt;/b&gt; {{ config }}" in html


@pytest.mark.parametrize(("text", "address"), [
    ("See https://en.wikipedia.org/wiki/Lima_(Peru).", "https://en.wikipedia.org/wiki/Lima_(Peru)"),
    ("(see https://example.org/a_(b)_c)", "https://example.org/a_(b)_c"),
    ("(see https://example.org/guide)", "https://example.org/guide"),
    ("[the ministry](https://www.gob.pe/mtpe)", "https://www.gob.pe/mtpe"),
])
def test_an_address_keeps_the_brackets_it_opens(text: str, address: str) -> None:
    html = str(paragraphs(text))
    assert f'<a href="{address}" class="sg-external">{address}</a>' in html, html


@given(st.text(alphabet=" \n\t\u00a0\u202fab<&>\"'h:/.tpsx", max_size=80))
@example("a\n \t\nb\u00a0\n\n\u00a0c https://e.org/x.\n\n \u202f\n\n")
@settings(max_examples=300)
def test_every_block_is_one_paragraph_of_its_words(text: str) -> None:
    """Whatever the spacing: each block between blank lines is one escaped paragraph holding
    its words, its no-break spaces inside kept; blank blocks make none."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    found = re.findall(r"<p>(.*?)</p>", str(paragraphs(text)), flags=re.DOTALL)
    assert len(found) == len(blocks)
    for html, block in zip(found, blocks):
        plain = unescape(re.sub(r"<[^>]+>", "", html))
        assert plain.split() == block.split()
        assert "<" not in re.sub(r'<a href="[^"<>]*" class="sg-external">|</a>', "", html)
