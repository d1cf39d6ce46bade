// The record after the day (/trainings/{id}/attendance/record): "select all", a count of
// the ticked people, and a name filter for a long list. The page works without it (each
// person ticked by hand, a plain form post); everything here is by event delegation, so
// the list htmx swaps in after each post keeps working.
(function () {
  "use strict";

  function rows(form) {
    return Array.prototype.slice.call(form.querySelectorAll(".rec-row"));
  }

  function boxes(form, visibleOnly) {
    return rows(form)
      .filter(function (row) { return !visibleOnly || !row.hidden; })
      .map(function (row) { return row.querySelector("input[name=registration_id]"); });
  }

  function refresh(form) {
    var all = boxes(form, false);
    var picked = all.filter(function (box) { return box.checked; }).length;
    var count = form.querySelector("[data-rec-count]");
    if (count) count.textContent = picked ? count.dataset.template.replace("{n}", picked) : "";
    var shown = boxes(form, true);
    var master = form.querySelector("[data-rec-all]");
    if (master) {
      var ticked = shown.filter(function (box) { return box.checked; }).length;
      master.checked = shown.length > 0 && ticked === shown.length;
      master.indeterminate = ticked > 0 && ticked < shown.length;
    }
  }

  function setUp(root) {
    var forms = root.querySelectorAll ? root.querySelectorAll(".rec-form") : [];
    Array.prototype.forEach.call(forms, function (form) {
      // Shown only with script: without it they could do nothing.
      var all = form.querySelector(".rec-all");
      var filter = form.querySelector("[data-rec-filter]");
      if (all) all.hidden = false;
      if (filter) filter.hidden = false;
      refresh(form);
    });
  }

  document.addEventListener("change", function (event) {
    var form = event.target.closest(".rec-form");
    if (!form) return;
    if (event.target.matches("[data-rec-all]")) {
      // Only the people the filter shows: "select all" after finding "Siti" picks the Sitis.
      boxes(form, true).forEach(function (box) { box.checked = event.target.checked; });
    }
    refresh(form);
  });

  document.addEventListener("input", function (event) {
    if (!event.target.matches("[data-rec-filter]")) return;
    var form = event.target.closest(".rec-form");
    var wanted = event.target.value.trim().toLowerCase();
    rows(form).forEach(function (row) {
      row.hidden = wanted !== "" && row.dataset.name.indexOf(wanted) === -1;
    });
    refresh(form);
  });

  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("htmx:afterSwap", function () { setUp(document); });
})();
