// medbill web UI enhancements; every page works without this file (and without htmx).
// "Add a line" clones the blank service-line row in the page; without this script the same button
// posts the form and the server answers with the form one row longer, every value kept.
(function () {
  "use strict";
  var MAX_ROWS = 50;

  function addLine(event) {
    var template = document.getElementById("line-template");
    var rows = document.getElementById("line-rows");
    var count = document.getElementById("line-count");
    if (!template || !rows || !count) {
      return; // let the button post the form instead
    }
    event.preventDefault();
    var next = parseInt(count.value, 10) + 1;
    if (!(next <= MAX_ROWS)) {
      return;
    }
    rows.insertAdjacentHTML("beforeend", template.innerHTML.split("__N__").join(String(next)));
    count.value = String(next);
    var first = document.getElementById("f-lines-" + next + "--procedure_code");
    if (first) {
      first.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("add-line");
    if (button) {
      button.addEventListener("click", addLine);
    }
  });
})();
