/* Traditional → Simplified search queries.
 *
 * The search index is Simplified Chinese. When a reader types Traditional characters
 * (the Traditional form of 联合党委), convert them in the search box to Simplified before the
 * search reads the query (Material's header search on keyup, Pagefind's search page on input). The character map (window.HANDBOOK_T2S) is generated at
 * build time from the characters the handbook contains. Nothing is fetched.
 */
(function () {
  "use strict";
  var map = window.HANDBOOK_T2S || {};
  var composing = false;
  var SEARCH_BOXES = "input[data-md-component=search-query], input.pagefind-ui__search-input";

  function convert(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var ch = text.charAt(i);
      out += Object.prototype.hasOwnProperty.call(map, ch) ? map[ch] : ch;
    }
    return out;
  }

  function onInput(event) {
    var input = event.target;
    if (composing || !input || !input.matches || !input.matches(SEARCH_BOXES)) return;
    var converted = convert(input.value);
    if (converted !== input.value) {
      var caret = input.selectionStart;
      input.value = converted;  // one character for one: the caret stays where it was
      if (caret !== null) input.setSelectionRange(caret, caret);
    }
  }

  document.addEventListener("compositionstart", function () { composing = true; }, true);
  document.addEventListener("compositionend", function (event) { composing = false; onInput(event); }, true);
  document.addEventListener("input", onInput, true);
  document.addEventListener("keyup", onInput, true);
  window.handbookToSimplified = convert;
})();
