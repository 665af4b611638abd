/* 打印 buttons: print the current page (the print stylesheet shapes it for A4). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-hb-print]");
    if (button) window.print();
  });
})();
