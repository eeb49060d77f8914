/* sectorguide: the language switcher keeps the reader's place in a list. An organization, a
   challenge, a country, a kind or a group of fields has the same anchor in every language
   (#org-mihr, #challenge-employability), so the other language's page opens at it; a
   section's anchor is made from its heading, which each language words differently, so it is
   left behind. The link's own address is followed (Material's handler for these links is
   left out, as the catalog and the search page do). No request, no framework. */
(function () {
  "use strict";

  var SHARED = /^#(org|challenge|country|map-country|kind|fields)-[a-z0-9-]+$/;

  function keep() {
    var hash = SHARED.test(window.location.hash) ? window.location.hash : "";
    document.querySelectorAll(".md-select a[hreflang]").forEach(function (link) {
      link.hash = hash;
      if (!link.dataset.sgKept) {
        link.dataset.sgKept = "1";
        link.addEventListener("click", function (event) { event.stopPropagation(); });
      }
    });
  }

  window.addEventListener("hashchange", keep);
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(keep);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", keep);
  else keep();
})();
