"""Open data: the guide's records as files readers can take away, written into site/data/.

- records.json: every validated record, language-neutral facts and every language's text,
  with the state of each translation;
- cases-LANG.csv: one row per case, labelled for readers of one language (names, not codes);
- feed-LANG.xml: an Atom feed of the newest cases in one language;
- sectorguide.schema.json: the schema the records follow.

The same records give the same bytes (sorted keys, fixed order, dates from the records or
git, never the clock), so builds stay reproducible.

Atom wants absolute identifiers. When mkdocs.yml sets site_url, ids and links are the pages'
web addresses. Without it the guide has no address of its own: ids are name-based UUIDs
(urn:uuid, RFC 4122 version 5) of the repository address and the page, stable from build to
build, and links are relative to the feed, which Atom allows (RFC 4287, section 4.2.7.1).
"""

from __future__ import annotations

import csv
import json
import posixpath
import shutil
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.utils.yaml import yaml_load

from .history import build_date
from .labels import Labels
from .model import Case, Guide, Organization, one_line
from .project import Project
from .render import page_url
from .vocabulary import LANGUAGES

DATA_DIR = "data"
FEED_SIZE = 20
ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# The model's "fallback" (the reader gets the original) is, in the data, a missing translation.
DATA_STATES = {"original": "original", "translation": "translation", "stale": "stale",
               "fallback": "missing"}
# A cell starting with one of these is a formula to a spreadsheet: contributed text is not.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class SiteAddress:
    """Where the site lives, as far as the configuration says."""

    site_url: str | None = None
    repo_url: str | None = None

    @classmethod
    def from_mkdocs(cls, mkdocs_yml: Path) -> SiteAddress:
        with mkdocs_yml.open("rb") as stream:
            config = yaml_load(stream)
        site, repo = config.get("site_url"), config.get("repo_url")
        return cls(str(site).rstrip("/") + "/" if site else None, str(repo) if repo else None)

    def link(self, path: str, from_dir: str = DATA_DIR) -> str:
        """A site path ('es/cases/x/') as a link from a file in from_dir (absolute when known)."""
        if self.site_url:
            return self.site_url + path
        link = posixpath.relpath(path or ".", from_dir)
        return link + "/" if path.endswith("/") or not path else link

    def address(self, path: str) -> str:
        """A site path as a reader outside the site can use it: absolute when known."""
        return (self.site_url or "") + path

    def identifier(self, path: str) -> str:
        """A permanent, absolute identifier for a site path."""
        if self.site_url:
            return self.site_url + path
        base = (self.repo_url or "sectorguide").rstrip("/")
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{base}/{path}')}"


def record_dates(guide: Guide, last_changed: dict[str, str], edition: str) -> dict[str, str]:
    """Each case's last revision: its `updated` field, else its last commit, else the edition."""
    return {case.id: case.updated or last_changed.get(case.source_path) or edition
            for case in guide.cases}


# --- records.json --------------------------------------------------------------------------


def records_document(guide: Guide, dates: dict[str, str]) -> dict[str, Any]:
    """All records as one JSON-ready document: facts, texts, translation states."""
    return {
        "languages": list(LANGUAGES),
        "schema": "sectorguide.schema.json",
        "cases": [_case_record(case, dates[case.id]) for case in guide.cases],
        "organizations": [_organization_record(org) for org in guide.organizations.values()],
        "challenges": [{"id": ch.id, "kind": "challenge", "text": ch.texts}
                       for ch in guide.challenges.values()],
    }


def _case_record(case: Case, updated: str) -> dict[str, Any]:
    return {
        "id": case.id, "kind": case.kind, "original_language": case.original_language,
        "countries": list(case.countries), "sector": case.sector,
        "challenges": list(case.challenges), "status": case.status, "curation": case.curation,
        "period": {"start": case.start, "end": case.end},
        "organizations": [{"id": p.organization, "role": p.role} for p in case.organizations],
        "relationships": [{"from": r.source, "to": r.target, "kind": r.kind}
                          for r in case.relationships],
        "indicators": [{"key": i.key, "value": i.value, "year": i.year} for i in case.indicators],
        "sources": [{"title": s.title, "url": s.url, "publisher": s.publisher}
                    for s in case.sources],
        "updated": updated, "source": case.source_path, "text": case.texts,
        "translations": {lang: DATA_STATES[case.translation_state(lang)] for lang in LANGUAGES},
        "pages": {lang: page_url(f"cases/{case.id}", lang) for lang in LANGUAGES},
    }


def _organization_record(org: Organization) -> dict[str, Any]:
    return {
        "id": org.id, "kind": "organization", "name": org.name, "acronym": org.acronym,
        "type": org.type, "country": org.country, "website": org.website,
        "original_language": org.original_language, "source": org.source_path,
        "text": org.texts,
        "translations": {lang: DATA_STATES[org.shown(lang).state] for lang in LANGUAGES},
    }


# --- cases-LANG.csv ------------------------------------------------------------------------


def case_rows(guide: Guide, lang: str, dates: dict[str, str],
              address: SiteAddress) -> list[list[str]]:
    """The header and one row per case, in the words of one language."""
    t = Labels(lang)
    header = [t("csv_id"), t("title"), t("summary"), t("csv_text_language"), t("csv_translation"),
              t("kind"), t("countries"), t("sector"), t("challenges"), t("status"), t("period"),
              t("csv_start"), t("csv_end"), t("organizations"), t("curation"), t("last_updated"),
              t("csv_link")]
    rows = [header]
    for case in guide.cases:
        shown = case.shown(lang)
        rows.append([_cell(value) for value in (
            case.id, shown.text["title"], one_line(str(shown.text["summary"])),
            t.language(shown.lang), t(f"state_{shown.state}"), t(f"kind_{case.kind}"),
            "; ".join(t.country(c) for c in case.countries), t(f"sector_{case.sector}"),
            "; ".join(guide.challenges[c].label(lang) for c in case.challenges),
            t(f"status_{case.status}"), t.period(case.start, case.end), case.start or "",
            case.end or "", "; ".join(_participant(guide, case, i, t)
                                      for i in range(len(case.organizations))),
            t(f"curation_{case.curation}"), dates[case.id],
            address.address(page_url(f"cases/{case.id}", lang)),
        )])
    return rows


def _participant(guide: Guide, case: Case, index: int, t: Labels) -> str:
    part = case.organizations[index]
    org = guide.organizations[part.organization]
    return f"{org.named_in(t.lang)}{t('colon')}{t('role_' + part.role)}"


def _cell(value: Any) -> str:
    """A value as spreadsheet text: contributed text is never read as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


# --- feed-LANG.xml -------------------------------------------------------------------------


def atom_time(date: str) -> str:
    """A record date (YYYY, YYYY-MM or YYYY-MM-DD) as an RFC 3339 time at midnight UTC."""
    parts = (date.split("-") + ["01", "01"])[:3]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


def newest(guide: Guide, dates: dict[str, str], size: int = FEED_SIZE) -> list[Case]:
    """The most recently revised cases, newest first (ties in id order)."""
    by_id = sorted(guide.cases, key=lambda c: c.id)
    return sorted(by_id, key=lambda c: atom_time(dates[c.id]), reverse=True)[:size]


def atom_feed(guide: Guide, lang: str, dates: dict[str, str], address: SiteAddress,
              edition: str) -> ET.Element:
    """The Atom feed of the newest cases for readers of one language."""
    t = Labels(lang)
    entries = newest(guide, dates)
    here = f"{DATA_DIR}/feed-{lang}.xml"
    feed = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: lang})
    _add(feed, "id", address.identifier(here))
    _add(feed, "title", t("feed_title", site=t("site_title")))
    _add(feed, "subtitle", t("site_subtitle"))
    _add(feed, "updated", max((atom_time(dates[c.id]) for c in entries),
                              default=atom_time(edition)))
    ET.SubElement(ET.SubElement(feed, "author"), "name").text = t("pdf_author")
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml",
                                 "href": address.link(here)})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "hreflang": lang,
                                 "href": address.link(page_url("index", lang))})
    _add(feed, "generator", "sectorguide")
    for case in entries:
        feed.append(_entry(case, lang, dates[case.id], address, t))
    ET.indent(feed)
    return feed


def _entry(case: Case, lang: str, date: str, address: SiteAddress, t: Labels) -> ET.Element:
    shown = case.shown(lang)
    page = page_url(f"cases/{case.id}", lang)
    text_lang = {XML_LANG: shown.lang} if shown.lang != lang else {}
    entry = ET.Element("entry")
    _add(entry, "id", address.identifier(page))
    _add(entry, "title", one_line(str(shown.text["title"])), **text_lang)
    _add(entry, "updated", atom_time(date))
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html",
                                  "hreflang": shown.lang, "href": address.link(page)})
    _add(entry, "summary", one_line(str(shown.text["summary"])), **text_lang)
    ET.SubElement(entry, "category", {"term": case.kind, "label": t(f"kind_{case.kind}")})
    for country in case.countries:
        ET.SubElement(entry, "category", {"term": country, "label": t.country(country)})
    return entry


def _add(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, dict(attrs))
    element.text = text
    return element


# --- writing -------------------------------------------------------------------------------


def write_open_data(guide: Guide, target: Path, *, schema_path: Path, dates: dict[str, str],
                    address: SiteAddress, edition: str,
                    languages: Iterable[str] = LANGUAGES) -> list[Path]:
    """Write every open-data file into target (site/data/); returns the files written."""
    target.mkdir(parents=True, exist_ok=True)
    records = target / "records.json"
    records.write_text(json.dumps(records_document(guide, dates), ensure_ascii=False, indent=2,
                                  sort_keys=True, default=str, allow_nan=False) + "\n", "utf-8")
    written = [records]
    for lang in languages:
        table = target / f"cases-{lang}.csv"
        # utf-8-sig: the byte-order mark makes spreadsheets read accents right.
        with table.open("w", encoding="utf-8-sig", newline="") as stream:
            csv.writer(stream, lineterminator="\r\n").writerows(
                case_rows(guide, lang, dates, address))
        feed = target / f"feed-{lang}.xml"
        ET.ElementTree(atom_feed(guide, lang, dates, address, edition)).write(
            feed, encoding="utf-8", xml_declaration=True)
        written += [table, feed]
    schema = target / "sectorguide.schema.json"
    shutil.copyfile(schema_path, schema)
    return written + [schema]


def publish_open_data(project: Project, guide: Guide, site_dir: Path,
                      languages: Iterable[str] = LANGUAGES) -> list[Path]:
    """The open data of a project's guide, into a built site (called by the build)."""
    edition = build_date()
    return write_open_data(
        guide, site_dir / DATA_DIR, schema_path=project.schema_path,
        dates=record_dates(guide, project.last_changed(), edition),
        address=SiteAddress.from_mkdocs(project.mkdocs_yml), edition=edition, languages=languages)
