/* sectorguide: a wide table that does not fit the screen (the matrix, a map's table on a
   phone) says that it scrolls sideways: the hint before it is shown only while the table is
   wider than its frame. No request, no framework. */
(function () {
  "use strict";

  function update() {
    document.querySelectorAll(".sg-scroll-hint").forEach(function (hint) {
      var wrap = hint.nextElementSibling;
      if (!wrap || !wrap.classList.contains("sg-table-wrap")) return;
      hint.hidden = wrap.scrollWidth <= wrap.clientWidth + 1;
    });
  }

  function start() {
    update();
    window.addEventListener("resize", update);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
