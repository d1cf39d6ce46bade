// The minutes page: autosave while typing (a few seconds after the last key, and when a
// field is left), several committee members at once. Each save carries the version it
// was typed on; the server merges it into the newest text and answers that, which this
// page shows when nothing more was typed meanwhile. A failed save is retried; the status
// line says what happened ("Tersimpan 14.32", offline, refused, merged).
(function () {
  "use strict";
  var root = document.getElementById("minutes-editor");
  if (!root) return;
  var url = root.getAttribute("data-url");
  var version = parseInt(root.getAttribute("data-version") || "0", 10);
  var status = document.getElementById("min-status");
  var text = document.getElementById("min-text");
  var list = document.getElementById("min-decisions");
  var addButton = document.getElementById("min-add-decision");
  var DEBOUNCE = 2500, MAX_WAIT = 8000, POLL = 15000;
  var timer = null, firstChange = 0, inFlight = false, again = false, retry = 0;
  var basedOnOwn = false;
  var lastSent = snapshot();

  function csrf() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || "";
    } catch (e) { return ""; }
  }

  function label(name) { return status.getAttribute("data-" + name + "-label") || ""; }

  function say(message, kind) {
    status.textContent = message;
    status.className = "min-status" + (kind ? " " + kind : "");
  }

  function hhmm() {
    var d = new Date();
    return ("0" + d.getHours()).slice(-2) + "." + ("0" + d.getMinutes()).slice(-2);
  }

  function decisions() {
    var out = [];
    list.querySelectorAll("li").forEach(function (li) {
      var value = li.querySelector("textarea").value;
      if (!value.trim()) return;
      var id = li.getAttribute("data-id");
      out.push(id ? { id: parseInt(id, 10), text: value } : { text: value });
    });
    return out;
  }

  function heading() {
    var out = {};
    root.querySelectorAll("input[data-min]").forEach(function (input) {
      out[input.name] = input.value;
    });
    if (!out.held_on) delete out.held_on;
    return out;
  }

  function snapshot() {
    return JSON.stringify({ text: text.value, decisions: decisions(), heading: heading() });
  }

  function addDecision(id, value) {
    var li = document.createElement("li");
    if (id) li.setAttribute("data-id", id);
    var area = document.createElement("textarea");
    area.rows = 2;
    area.maxLength = 2000;
    area.value = value || "";
    area.setAttribute("aria-label", addButton.getAttribute("data-label"));
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "button small min-remove";
    remove.textContent = "×";
    remove.setAttribute("aria-label", addButton.getAttribute("data-remove"));
    li.appendChild(area);
    li.appendChild(remove);
    list.appendChild(li);
    return area;
  }

  function showDecisions(items) {
    list.innerHTML = "";
    items.forEach(function (d) { addDecision(d.id, d.text); });
  }

  function schedule() {
    var now = Date.now();
    if (!firstChange) firstChange = now;
    clearTimeout(timer);
    var wait = Math.max(0, Math.min(DEBOUNCE, firstChange + MAX_WAIT - now));
    timer = setTimeout(save, wait);
  }

  function save() {
    clearTimeout(timer);
    timer = null;
    if (inFlight) { again = true; return; }
    var current = snapshot();
    if (current === lastSent) { firstChange = 0; return; }
    var sent = JSON.parse(current);
    var body = Object.assign({ text: sent.text, decisions: sent.decisions,
                               base_version: version, based_on_own: basedOnOwn },
                             sent.heading);
    inFlight = true;
    firstChange = 0;
    say(label("saving"), "busy");
    fetch(url, {
      method: "PUT", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf(),
                 "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) { var e = new Error("refused"); e.refused = true; throw e; }
      return response.json();
    }).then(function (data) {
      retry = 0;
      version = data.version;
      root.setAttribute("data-version", String(version));
      var typedMeanwhile = text.value !== sent.text;
      if (!typedMeanwhile) {
        if (text.value !== data.text) {
          var at = text.selectionStart;
          text.value = data.text;
          if (document.activeElement === text) text.setSelectionRange(at, at);
        }
        basedOnOwn = false;
      } else {
        basedOnOwn = !!data.merged;
      }
      if (JSON.stringify(decisions()) === JSON.stringify(sent.decisions)) {
        showDecisions(data.decisions);
      }
      lastSent = typedMeanwhile ? current : snapshot();
      var message = label("saved") + " " + hhmm();
      if (data.conflict) message += " · " + label("conflict");
      else if (data.merged) message += " · " + label("merged");
      say(message, data.conflict ? "warn" : "ok");
    }).catch(function (error) {
      retry = Math.min(retry + 1, 6);
      say(error && error.refused ? label("failed") : label("offline"), "error");
      setTimeout(save, Math.min(30000, 2000 * Math.pow(2, retry - 1)));
    }).then(function () {
      inFlight = false;
      if (again) { again = false; save(); }
    });
  }

  function poll() {
    if (inFlight || timer || snapshot() !== lastSent || document.hidden) return;
    fetch(url + "/state", { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || data.version <= version || snapshot() !== lastSent || inFlight) return;
        version = data.version;
        basedOnOwn = false;
        text.value = data.text;
        showDecisions(data.decisions);
        Object.keys(data.heading || {}).forEach(function (name) {
          var input = root.querySelector("input[name='" + name + "']");
          if (input && document.activeElement !== input) input.value = data.heading[name] || "";
        });
        lastSent = snapshot();
        say(label("saved") + " " + hhmm() + (data.updated_by ? " · " + data.updated_by : ""), "ok");
      }).catch(function () { /* the next poll tries again */ });
  }

  root.addEventListener("input", schedule);
  root.addEventListener("focusout", function () { if (timer) save(); });
  list.addEventListener("click", function (event) {
    var button = event.target.closest(".min-remove");
    if (!button) return;
    button.closest("li").remove();
    save();
  });
  addButton.addEventListener("click", function () { addDecision(null, "").focus(); });
  window.addEventListener("online", save);
  window.addEventListener("beforeunload", function (event) {
    if (snapshot() !== lastSent || inFlight) { save(); event.preventDefault(); event.returnValue = ""; }
  });
  setInterval(poll, POLL);
})();
