/* sectorguide: filters for the catalog of cases (browse/catalog).
 *
 * The page is complete without this script: it lists every case and the filter panel stays
 * hidden. The panel's words come from the page (rendered from labels.yaml in the page's
 * language); this script adds the controls, keeps the filter state in the URL query
 * (?country=CL&kind=pilot_project&q=taller) so that a view can be shared and the back button
 * works (the language switcher keeps the facets, not the words), and builds a CSV of the cases
 * shown. No framework, no request. On other pages it
 * does nothing.
 */
(() => {
  "use strict";

  // Facet name in the URL -> attribute of a card (li.sg-card) that holds its codes.
  const FACETS = { country: "countries", kind: "kind", challenge: "challenges",
                   sector: "sector", status: "status", period: "decade" };

  /** Lower case without accents, so that "educacion" finds "educación"; "œ" and "æ" spelled
   *  "oe" and "ae" ("oeuvre" finds "main-d’œuvre"); one apostrophe for the typewriter's, the
   *  typographic ones and the modifier letter ("l'alliance" finds "l’Alliance"). */
  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/œ/g, "oe").replace(/æ/g, "ae").replace(/[\u2019\u2018\u02bc]/g, "'");

  /** French: a word typed after an elided article or pronoun ("l'atelier", "d'egalite") is
   *  looked for without it, so that it finds "Atelier régional" as well as "l’atelier", as the
   *  search page does (Pagefind looks for "l’" and "atelier" apart, see overrides/sg-search.html).
   *  No stemming, here or there: "talleres" does not find "taller". */
  const ELIDED = /^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu|presqu)'(?=\p{L})/u;
  const queryWords = (text, lang) => {
    const words = fold(text).split(/\s+/).filter(Boolean);
    return lang === "fr" ? words.map((word) => word.replace(ELIDED, "")) : words;
  };

  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (all, key) => (key in values ? String(values[key]) : all));

  /** A quoted CSV cell; one that a spreadsheet would take for a formula starts with "'". */
  const csvCell = (value) => {
    let text = String(value).replace(/\s+/g, " ").trim();
    if (/^[=+\-@]/.test(text)) text = "'" + text;
    return '"' + text.replace(/"/g, '""') + '"';
  };

  class Catalog {
    constructor(panel) {
      this.panel = panel;
      this.words = panel.dataset;  // results, none, reset, download, placeholder, csvFile, show
      this.lang = document.documentElement.lang;
      this.cards = [...document.querySelectorAll(".sg-cards > .sg-card")].map((node) => {
        const title = node.querySelector(".sg-card__title a");
        const summary = node.querySelector(".sg-card__summary");
        const codes = {};
        for (const [facet, attribute] of Object.entries(FACETS)) {
          codes[facet] = (node.getAttribute("data-" + attribute) || "").split(" ").filter(Boolean);
        }
        const text = fold(title.textContent + " " + (summary ? summary.textContent : ""));
        return { node, title, summary, codes, text };
      });
      this.boxes = {};  // facet -> [checkbox]
      this.names = {};  // facet -> {code: the label shown}
      this.typing = false;
      this.build();
    }

    /** Checkboxes into the server-rendered labels; the search box and the buttons. */
    build() {
      this.search = Object.assign(document.createElement("input"), {
        type: "search", id: "sg-filter-q", autocomplete: "off", placeholder: this.words.placeholder,
      });
      this.panel.querySelector(".sg-filters__search").append(this.search);
      // The first keystroke makes a history entry; the next ones update it.
      this.search.addEventListener("input", () => {
        this.changed(!this.typing);
        this.typing = true;
      });

      for (const fieldset of this.panel.querySelectorAll("fieldset[data-facet]")) {
        const facet = fieldset.dataset.facet;
        this.boxes[facet] = [];
        this.names[facet] = {};
        for (const label of fieldset.querySelectorAll("label[data-value]")) {
          const box = Object.assign(document.createElement("input"),
                                    { type: "checkbox", name: facet, value: label.dataset.value });
          const name = Object.assign(document.createElement("span"),
                                     { textContent: label.textContent.trim() });
          const count = Object.assign(document.createElement("span"),
                                      { className: "sg-filters__n" });
          this.names[facet][box.value] = name.textContent;
          label.replaceChildren(box, name, count);
          box.addEventListener("change", () => {
            this.typing = false;
            this.changed(true);
          });
          this.boxes[facet].push(box);
        }
      }

      const bar = this.panel.querySelector(".sg-filters__bar");
      this.status = bar.querySelector(".sg-filters__status");
      this.resetButton = this.button(bar, this.words.reset, () => {
        this.setState({ facets: {}, q: "" });
        this.typing = false;
        this.changed(true);
      });
      this.downloadButton = this.button(bar, this.words.download, () => this.saveCsv());
      this.facetsBox = this.panel.querySelector("details");
      this.facetsBox.open = window.matchMedia("(min-width: 60em)").matches;
      // On a phone the open facets are taller than the screen and the results far below: a
      // button at the panel's foot (kept in view by the style sheet; none on a wide screen)
      // says how many cases the boxes select and leads to them.
      this.status.tabIndex = -1;
      if (this.words.show) {
        const foot = Object.assign(document.createElement("div"), { className: "sg-filters__show" });
        this.showButton = this.button(foot, "", () => this.showResults());
        this.facetsBox.append(foot);
      }
      this.activeCount = Object.assign(document.createElement("span"),
                                       { className: "sg-filters__active" });
      this.facetsBox.querySelector("summary").append(this.activeCount);

      for (const link of document.querySelectorAll(".md-select a[hreflang]")) {
        // Material's handler for language links (on <body>) would rebuild the address without
        // the query; the link's own address, kept by keepInLanguageLinks, is the one to follow.
        link.addEventListener("click", (event) => event.stopPropagation());
      }
      window.addEventListener("popstate", () => {
        this.typing = false;
        this.setState(this.readUrl());
        this.apply();
      });
      this.setState(this.readUrl());
      this.panel.hidden = false;
      this.apply();
    }

    /** To the status line above the results, which says how many are shown. */
    showResults() {
      this.status.parentNode.scrollIntoView({ block: "start" });
      this.status.focus({ preventScroll: true });
    }

    button(parent, text, action) {
      const button = Object.assign(document.createElement("button"),
                                   { type: "button", textContent: text });
      button.addEventListener("click", action);
      parent.append(button);
      return button;
    }

    /** The state in the address: ?country=CL&country=PE, or ?country=CL,PE. */
    readUrl() {
      const params = new URLSearchParams(window.location.search);
      const facets = {};
      for (const facet of Object.keys(this.boxes)) {
        facets[facet] = params.getAll(facet).flatMap((value) => value.split(","));
      }
      return { facets, q: params.get("q") || "" };
    }

    setState(state) {
      for (const [facet, boxes] of Object.entries(this.boxes)) {
        const wanted = state.facets[facet] || [];
        for (const box of boxes) box.checked = wanted.includes(box.value);
      }
      this.search.value = state.q;
    }

    state() {
      const facets = {};
      for (const [facet, boxes] of Object.entries(this.boxes)) {
        facets[facet] = boxes.filter((box) => box.checked).map((box) => box.value);
      }
      const words = queryWords(this.search.value, this.lang);
      return { facets, q: this.search.value.trim(), words };
    }

    /** Put the state in the address (a new history entry, or the current one), then show it. */
    changed(newEntry) {
      const state = this.state();
      const params = new URLSearchParams();
      for (const [facet, values] of Object.entries(state.facets)) {
        for (const value of values) params.append(facet, value);
      }
      if (state.q) params.set("q", state.q);
      const query = params.toString();
      const { pathname, search, hash } = window.location;
      const url = pathname + (query ? "?" + query : "") + hash;
      if (url !== pathname + search + hash) {
        window.history[newEntry ? "pushState" : "replaceState"](null, "", url);
      }
      this.apply();
    }

    /** AND across facets, OR within one; `except` leaves a facet out (for its own counts). */
    matches(card, state, except) {
      for (const [facet, wanted] of Object.entries(state.facets)) {
        if (facet === except || !wanted.length) continue;
        if (!card.codes[facet].some((code) => wanted.includes(code))) return false;
      }
      return state.words.every((word) => card.text.includes(word));
    }

    apply() {
      const state = this.state();
      let shown = 0;
      for (const card of this.cards) {
        card.node.hidden = !this.matches(card, state, null);
        if (!card.node.hidden) shown += 1;
      }
      // Each value's count: the cases it would show with the other facets as they are.
      for (const [facet, boxes] of Object.entries(this.boxes)) {
        const pool = this.cards.filter((card) => this.matches(card, state, facet));
        for (const box of boxes) {
          const n = pool.filter((card) => card.codes[facet].includes(box.value)).length;
          box.parentNode.querySelector(".sg-filters__n").textContent = n;
          box.parentNode.classList.toggle("sg-filters__zero", n === 0);
        }
      }
      const active = Object.values(state.facets).reduce((sum, values) => sum + values.length, 0);
      this.status.textContent = shown
        ? fill(this.words.results, { n: shown, total: this.cards.length })
        : this.words.none;
      this.status.classList.toggle("sg-filters__status--none", shown === 0);
      this.resetButton.hidden = !(active || state.q);
      this.downloadButton.hidden = shown === 0;
      this.activeCount.textContent = active ? "(" + active + ")" : "";
      if (this.showButton) this.showButton.textContent = fill(this.words.show, { n: shown });
      this.keepInLanguageLinks();
    }

    /** The language switcher opens the same filtered view in the other language: the facets
     *  (codes, the same in every language), not the words typed, which are of one language
     *  ("taller" finds no French case). */
    keepInLanguageLinks() {
      const params = new URLSearchParams(window.location.search);
      params.delete("q");
      const query = params.toString();
      for (const link of document.querySelectorAll(".md-select a[hreflang]")) {
        link.search = query ? "?" + query : "";
      }
    }

    /** The cases shown, one row each, with the labels of the page's language. */
    csv() {
      const columns = [...this.panel.querySelectorAll(".sg-filters__columns li")];
      const named = (facet, codes) =>
        codes.map((code) => this.names[facet][code] || code).join("; ");
      const value = {
        title: (card) => card.title.textContent,
        kind: (card) => named("kind", card.codes.kind),
        countries: (card) => named("country", card.codes.country),
        period: (card) => card.node.querySelector(".sg-card__period").textContent,
        status: (card) => named("status", card.codes.status),
        sector: (card) => named("sector", card.codes.sector),
        challenges: (card) => named("challenge", card.codes.challenge),
        summary: (card) => (card.summary ? card.summary.textContent : ""),
        csv_link: (card) => card.title.href,
      };
      const rows = [columns.map((li) => li.textContent)];
      for (const card of this.cards.filter((c) => !c.node.hidden)) {
        rows.push(columns.map((li) => value[li.dataset.column](card)));
      }
      // A byte-order mark, so that spreadsheets read the accents right.
      return "\ufeff" + rows.map((row) => row.map(csvCell).join(",") + "\r\n").join("");
    }

    saveCsv() {
      const url = URL.createObjectURL(new Blob([this.csv()], { type: "text/csv;charset=utf-8" }));
      const link = Object.assign(document.createElement("a"),
                                 { href: url, download: this.words.csvFile });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    }
  }

  const start = () => {
    const panel = document.getElementById("sg-filters");
    if (panel && panel.hidden) new Catalog(panel);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
