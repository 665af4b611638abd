/* The search page of large collections (Pagefind; see handbook/search/pagefind.py).
 *
 * Pagefind's own UI, shipped with the site in pagefind/. Result links are made from the site
 * root, worked out from this page's address, so the site can live under any path. Traditional
 * queries are converted to Simplified as in the header search of small builds, and ?q= in the
 * address starts a search (the header's search button and shared links use it).
 */
(function () {
  "use strict";
  var box = document.querySelector("[data-hb-search]");
  if (!box || typeof window.PagefindUI !== "function") return;
  var root = new URL(box.getAttribute("data-root"), window.location.href).pathname.replace(/index\.html$/, "");
  function toSimplified(text) {  // search-t2s.js loads after the page's own scripts: look it up late
    return window.handbookToSimplified ? window.handbookToSimplified(text) : text;
  }
  var ui = new window.PagefindUI({
    element: box,
    bundlePath: root + "pagefind/",
    baseUrl: root,
    showImages: false,
    showSubResults: true,
    autofocus: true,
    processTerm: toSimplified
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) window.addEventListener("DOMContentLoaded", function () { ui.triggerSearch(toSimplified(query)); });
})();
