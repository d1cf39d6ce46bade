// The training form's "Add rows" for participant categories: one blank row (a category
// and its quota, side by side, so quotas stay with their names) appears at once, focused.
// Without JavaScript the same button sends the form back, unsaved, with more blank rows.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (!button) return;
    var rows = document.querySelector(button.dataset.addRow);
    var last = rows && rows.lastElementChild;
    if (!last) return;
    event.preventDefault();
    var row = last.cloneNode(true);
    row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
    rows.appendChild(row);
    row.querySelector("input").focus();
  });
})();
