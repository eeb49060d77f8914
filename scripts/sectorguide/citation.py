"""How to cite a record: a plain-text reference and a BibTeX entry, in the page's language.

A citation gives the page's address where the site is published (mkdocs.yml's site_url, set
by SECTORGUIDE_SITE_URL); without one, its path in the site. Both forms are plain text: pages
put them in <pre>, escaped.
"""

from __future__ import annotations

from dataclasses import dataclass

from .labels import Labels
from .model import Case, one_line

# Characters that mean something to (La)TeX inside a BibTeX field, and how to write them.
_TEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
        "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
        "\u00a0": "~", "\u202f": r"\,"}  # French no-break spaces, as TeX writes them
_TEX_TABLE = str.maketrans(_TEX)


@dataclass(frozen=True)
class Citation:
    text: str
    bibtex: str


def tex_escape(text: str) -> str:
    """Text as a BibTeX field value that (La)TeX prints literally."""
    return one_line(text).translate(_TEX_TABLE)


def cite(case: Case, lang: str, updated: str | None, page: str) -> Citation:
    """The citation of a case as shown to a reader of `lang` (title in the language shown).

    `updated` is the record's last revision (YYYY, YYYY-MM or YYYY-MM-DD); `page` is the
    address of the case page ('https://example.org/guide/es/cases/x/'), or its path in the
    site ('es/cases/x/') when the site's address is not known.
    """
    t = Labels(lang)
    title = one_line(str(case.shown(lang).text["title"]))
    year = (updated or "")[:4]
    author, guide = t("pdf_author"), t("site_title")
    text = t("citation_text", author=author, year=year or t("citation_no_date"), title=title,
             guide=guide, page=page)
    fields = [("author", "{" + tex_escape(author) + "}"), ("title", tex_escape(title))]
    if year:
        fields.append(("year", year))
    fields += [("howpublished", tex_escape(guide)), ("note", tex_escape(page))]
    body = ",\n".join(f"  {name:<12} = {{{value}}}" for name, value in fields)
    return Citation(text, f"@misc{{a07.1-{case.id},\n{body}\n}}")
