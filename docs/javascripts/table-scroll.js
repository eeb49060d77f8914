/* sectorguide: a wide table that does not fit the screen (the matrix, a map's table on a
   phone) says that it scrolls sideways: the hint before it is shown only while the table is
   wider than its frame. Such a frame (ours, the theme's around a chapter's table, a block of
   code) takes the keyboard's focus while it scrolls, so that the arrow keys scroll it (WCAG
   2.1.1; axe-core's scrollable-region-focusable). No request, no framework. */
(function () {
  "use strict";

  var FRAMES = ".md-typeset :is(.sg-table-wrap, .md-typeset__scrollwrap, pre > code)";

  function scrolls(frame) {
    return frame.scrollWidth > frame.clientWidth + 1;
  }

  function update() {
    document.querySelectorAll(".sg-scroll-hint").forEach(function (hint) {
      var wrap = hint.nextElementSibling;
      if (!wrap || !wrap.classList.contains("sg-table-wrap")) return;
      hint.hidden = !scrolls(wrap);
    });
    document.querySelectorAll(FRAMES).forEach(function (frame) {
      if (scrolls(frame)) frame.tabIndex = 0;
      else frame.removeAttribute("tabindex");
    });
  }

  window.addEventListener("resize", update);
  // The theme wraps a chapter's tables in its frames once the page is loaded (its document$).
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(update);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", update);
  else update();
})();
