// What the committee's pages do with script. It lives in a file because the
// Content-Security-Policy runs scripts from our own files only: no inline <script>, no
// on...= attributes, no javascript: links, no eval (htmx is configured without it).
(function () {
  "use strict";

  // A form that asks first: <form data-confirm="Really?">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    // "Go back" on error pages: <a href="/" data-back>.
    var back = event.target.closest("[data-back]");
    if (back && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
      return;
    }
    // Copy a new link (<button data-copy="input-id" data-done="Copied">); where the
    // clipboard API is missing (plain http), select it instead.
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var input = document.getElementById(button.dataset.copy);
    input.select();
    var done = function () { button.textContent = button.dataset.done; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () {});
    } else if (document.execCommand("copy")) {
      done();
    }
  });

  // Polling only while the page is seen: <div hx-trigger="every 5s" data-poll-visible>.
  // (htmx's trigger filters, "[document.visibilityState === 'visible']", need eval.)
  document.addEventListener("htmx:confirm", function (event) {
    if (document.visibilityState !== "visible" && event.target.closest("[data-poll-visible]")) {
      event.preventDefault();
    }
  });
})();
