// A participant's test on a cheap phone and a weak signal: every answer is kept in
// localStorage as it is chosen; "Send" posts them as JSON, and when there is no signal
// they stay marked as waiting and go out by themselves once the phone is back online.
// Without this script the form still posts as a plain HTML form.
(function () {
  "use strict";
  var form = document.getElementById("as-form");
  if (!form || !window.fetch || !window.JSON) return;
  var key = form.getAttribute("data-key");
  var api = form.getAttribute("data-api");
  var status = document.getElementById("as-status");
  var mode = document.getElementById("as-mode");
  var qs = Array.prototype.slice.call(form.querySelectorAll("fieldset.q"));
  var sending = false;
  var timer = null;

  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function keep() {
    try { localStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* full or private */ }
  }
  function forget() {
    try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
  }
  function say(text) { status.textContent = text || ""; }
  function text(name) { return form.getAttribute("data-" + name) || ""; }

  var state = load() || { answers: {}, pending: false, one: false, at: 0 };

  Object.keys(state.answers).forEach(function (name) {
    var el = form.querySelector('input[name="' + name + '"][value="' + state.answers[name] + '"]');
    if (el) el.checked = true;
  });
  // An evaluation questionnaire (anonymous, no score) also has a comment, kept the same way.
  var evaluation = form.getAttribute("data-evaluation") === "1";
  var comment = document.getElementById("as-comment");
  if (comment && state.comment && !comment.value) comment.value = state.comment;
  form.addEventListener("change", function (e) {
    var t = e.target;
    if (t && t.name && t.type === "radio") { state.answers[t.name] = t.value; keep(); }
  });
  if (comment) comment.addEventListener("input", function () {
    state.comment = comment.value; keep();
  });

  // One question per screen, or all on one page: the participant's choice, kept too.
  function show() {
    state.at = Math.max(0, Math.min(qs.length - 1, state.at || 0));
    form.classList.toggle("one", !!state.one);
    qs.forEach(function (q, i) { q.classList.toggle("cur", i === state.at); });
    mode.textContent = state.one ? text("all") : text("one");
  }
  mode.hidden = false;
  mode.addEventListener("click", function () { state.one = !state.one; keep(); show(); });
  document.getElementById("as-prev").addEventListener("click", function () {
    state.at -= 1; keep(); show();
  });
  document.getElementById("as-next").addEventListener("click", function () {
    state.at += 1; keep(); show();
  });
  show();

  function answers() {
    return qs.map(function (q, i) {
      var el = form.querySelector('input[name="q' + (i + 1) + '"]:checked');
      return el ? parseInt(el.value, 10) : null;
    });
  }

  function done(body) {
    forget();
    var box = document.createElement("div");
    box.className = "alert success";
    box.id = "as-done";
    box.setAttribute("role", "status");
    box.textContent = evaluation ? text("thanks") : text("done");
    var score = document.createElement("p");
    score.className = "score";
    score.id = "as-score";
    score.textContent = body && body.score != null ? String(body.score) : "";
    form.parentNode.replaceChild(box, form);
    box.parentNode.insertBefore(score, box.nextSibling);
  }

  function waiting() {
    state.pending = true;
    keep();
    say(text("offline"));
    if (!timer) timer = setInterval(function () { if (state.pending) send(); }, 15000);
  }

  function send() {
    if (sending) return;
    sending = true;
    say(text("sending"));
    fetch(api, {
      method: "POST", credentials: "omit",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(comment ? { answers: answers(), comment: comment.value || null }
                                   : { answers: answers() })
    }).then(function (r) {
      return r.json().then(function (b) { return { status: r.status, body: b }; },
                           function () { return { status: r.status, body: {} }; });
    }).then(function (res) {
      sending = false;
      if (res.status === 201 || (res.status === 409 && (res.body.code === "already_answered"
                                                        || res.body.code === "already_evaluated"))) {
        if (timer) clearInterval(timer);
        done(res.body);
      } else if (res.status >= 500 || res.status === 408 || res.status === 429) {
        waiting();  // the server or the network in between: try again later
      } else {
        state.pending = false;
        keep();
        say(res.body.message || String(res.status));
      }
    }, function () {
      sending = false;
      waiting();
    });
  }

  window.addEventListener("online", function () { if (state.pending) send(); });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    // An evaluation needs every answer: the server says which are missing.
    if (!evaluation && answers().indexOf(null) >= 0 && !window.confirm(text("missing"))) return;
    send();
  });
  if (state.pending) send();
})();
