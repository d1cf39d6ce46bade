// The paper grid, keyboard only: one line per person, one keystroke per answer.
//
// - a letter a-f or a digit 1-6 is the answer and moves to the next question; on a true/false
//   question b (Benar) and s (Salah), as the sheet marks it; "-", "." or space: left blank.
//   A key the question has no choice for is refused on the spot (with the reason).
// - typing in the middle of a line overwrites that question (arrows move), Backspace blanks
//   the question before the cursor, and on an empty line goes back to the line above.
// - Enter: the next person (on the last line: save); ArrowDown/ArrowUp: next/previous line.
// - "/" or Escape: the finder. Type a name or the row number, Enter: that person's line; the
//   Enter that finishes the line comes back to the finder (sheets in any order).
// - Ctrl+Enter saves from anywhere.
// The line shows b/s for true/false questions; what is sent is the choice letters a/b, the
// server's format (the page without this script keeps the plain letters).
(function () {
  "use strict";
  var form = document.getElementById("paper-grid");
  if (!form) return;
  var LETTERS = "abcdef";
  var want = parseInt(form.getAttribute("data-count"), 10) || 0;
  var sizes = (form.getAttribute("data-choices") || "").split(",").map(Number);
  var tf = (form.getAttribute("data-tf") || "").split("").map(function (c) { return c === "1"; });
  var lines = Array.prototype.slice.call(form.querySelectorAll("input.as-line"));
  var finder = document.getElementById("paper-find");
  var status = document.getElementById("paper-status");
  var fromFinder = false;

  function text(name) { return form.getAttribute("data-" + name) || ""; }
  function say(message) { if (status) status.textContent = message || ""; }

  // The display character of a key for question q (0-based), or null when it has no
  // such choice.
  function keyFor(key, q) {
    var ch = key.toLowerCase();
    if (ch === "-" || ch === "." || ch === " ") return "-";
    if (tf[q]) {
      if (ch === "b" || ch === "a" || ch === "1") return "b";
      if (ch === "s" || ch === "2") return "s";
      return null;
    }
    var i = LETTERS.indexOf(ch);
    if (i < 0 && ch >= "1" && ch <= "6") i = parseInt(ch, 10) - 1;
    return i >= 0 && i < (sizes[q] || 0) ? LETTERS[i] : null;
  }
  // The line as sent: the server reads b/s on a Benar/Salah question as the sheet has
  // them. Saved answers come back as choice letters: shown as b/s again (a=b, b=s).
  function sent(value) {
    return value.replace(/\s+/g, "");
  }
  function shown(value) {
    return value.replace(/\s+/g, "").toLowerCase().split("").map(function (ch, q) {
      return tf[q] ? ({ a: "b", b: "s" }[ch] || ch) : ch;
    }).join("");
  }

  function count(input) {
    var n = input.value.length;
    var out = input.closest("tr").querySelector(".as-count");
    if (!out) return;
    out.textContent = n + "/" + want;
    out.className = "as-count" + (n === want ? " full" : n > want ? " over" : "");
  }
  function flash(input, message) {
    var row = input.closest("tr");
    row.classList.remove("as-refused");
    void row.offsetWidth;  // restart the animation
    row.classList.add("as-refused");
    say(message);
  }
  function caret(input, at) { input.setSelectionRange(at, at); }
  function go(i, atEnd) {
    if (i < 0 || i >= lines.length) return false;
    lines[i].focus();
    caret(lines[i], atEnd ? lines[i].value.length : 0);
    return true;
  }
  function save() {
    if (form.requestSubmit) form.requestSubmit();
    else { lines.forEach(function (l) { l.value = sent(l.value); }); form.submit(); }
  }
  function choiceHint(q) {
    return tf[q] ? "b / s" : "a–" + LETTERS[(sizes[q] || 1) - 1];
  }

  function finished(i) {
    say("");
    if (fromFinder && finder) { fromFinder = false; finder.value = ""; mark(""); finder.focus(); }
    else if (!go(i + 1, false)) save();
  }

  lines.forEach(function (input, i) {
    input.value = shown(input.value);
    count(input);
    input.addEventListener("input", function () {  // a paste: read it as keys
      var at = input.selectionStart;
      input.value = input.value.replace(/\s+/g, "").split("").map(function (ch, q) {
        return keyFor(ch, q) || ch.toLowerCase();
      }).join("");
      caret(input, Math.min(at, input.value.length));
      count(input);
    });
    input.addEventListener("keydown", function (e) {
      var key = e.key;
      if (key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); save(); return; }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      var v = input.value;
      var at = input.selectionStart;
      if (key === "Enter") {
        e.preventDefault();
        if (v.length && v.length !== want) {
          flash(input, text("short").replace("{got}", v.length).replace("{n}", want));
          return;
        }
        finished(i);
      } else if (key === "ArrowDown") { e.preventDefault(); go(i + 1, true); }
      else if (key === "ArrowUp") { e.preventDefault(); go(i - 1, true); }
      else if (key === "Escape" || key === "/") {
        e.preventDefault();
        if (finder) { fromFinder = false; finder.focus(); finder.select(); }
      } else if (key === "Backspace") {
        if (!v.length) { e.preventDefault(); go(i - 1, true); }
        else if (at > 0 && at < v.length && input.selectionEnd === at) {
          e.preventDefault();  // blank that question; the ones after keep their place
          input.value = v.slice(0, at - 1) + "-" + v.slice(at);
          caret(input, at - 1);
          count(input);
        }
      } else if (key.length === 1) {
        e.preventDefault();
        if (at >= want) { flash(input, text("full").replace("{n}", want)); return; }
        var ch = keyFor(key, at);
        if (ch === null) {
          flash(input, text("refused").replace("{q}", at + 1).replace("{keys}", choiceHint(at)));
          return;
        }
        input.value = v.slice(0, at) + ch + v.slice(at + 1);
        caret(input, at + 1);
        count(input);
        say("");
      }
    });
  });

  form.addEventListener("submit", function () {
    lines.forEach(function (l) { l.value = sent(l.value); });
  });

  // --- the finder: a person's line by (part of) their name or their row number -----------
  function fold(s) {
    return s.normalize ? s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
                       : s.toLowerCase();
  }
  var rows = Array.prototype.slice.call(form.querySelectorAll("tr[data-n]"));
  var target = null;
  function mark(query) {
    var q = fold(query.trim());
    target = null;
    // A number is the row's No. first (else part of a name, "007").
    var number = /^\d+$/.test(q) ? String(parseInt(q, 10)) : null;
    var byNumber = null;
    rows.forEach(function (row) {
      var isNumber = number !== null && row.getAttribute("data-n") === number;
      var hit = q !== "" && (isNumber || fold(row.getAttribute("data-name") || "").indexOf(q) >= 0);
      row.classList.toggle("as-match", hit);
      var line = row.querySelector("input.as-line");
      if (isNumber && line) byNumber = line;
      // The first match still to key (else the first match at all).
      if (hit && line && (!target || (target.value.length && !line.value.length))) target = line;
    });
    target = byNumber || target;
    return target;
  }
  if (finder) {
    finder.addEventListener("input", function () {
      var found = mark(finder.value);
      say(finder.value.trim() && !found ? text("nobody") : "");
    });
    finder.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); save(); return; }
      if (e.key === "Enter") {
        e.preventDefault();
        var found = mark(finder.value);
        if (!found) { say(text("nobody")); return; }
        fromFinder = true;
        found.focus();
        caret(found, found.value.length);
        found.scrollIntoView({ block: "nearest" });
      } else if (e.key === "Escape") { finder.value = ""; mark(""); say(""); }
      else if (e.key === "ArrowDown") { e.preventDefault(); go(0, true); }
    });
  }
  if (lines.length) lines[0].focus();
})();
