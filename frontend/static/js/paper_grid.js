// The paper grid: a count of letters typed per row, and Enter to move to the next
// person (Enter on the last row saves), so a whole batch is keyed without the mouse.
(function () {
  "use strict";
  var form = document.getElementById("paper-grid");
  if (!form) return;
  var want = parseInt(form.getAttribute("data-count"), 10) || 0;
  var lines = Array.prototype.slice.call(form.querySelectorAll("input.as-line"));

  function count(input) {
    var n = input.value.replace(/\s+/g, "").length;
    var out = input.closest("tr").querySelector(".as-count");
    if (!out) return;
    out.textContent = n + "/" + want;
    out.className = "as-count" + (n === want ? " full" : n > want ? " over" : "");
  }

  lines.forEach(function (input, i) {
    count(input);
    input.addEventListener("input", function () { count(input); });
    input.addEventListener("keydown", function (e) {
      if (e.key !== "Enter") return;
      e.preventDefault();
      if (i + 1 < lines.length) lines[i + 1].focus();
      else form.requestSubmit ? form.requestSubmit() : form.submit();
    });
  });
  if (lines.length) lines[0].focus();
})();
