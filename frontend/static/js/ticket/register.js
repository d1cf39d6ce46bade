// Puts the ticket pages' service worker (/t/sw.js) in charge of /t/, and asks it to keep
// this page when the page loaded before it was (the first visit). The page's root says
// when it is kept (data-kept="1"): from then on a reload without signal shows it.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.Promise || !window.MessageChannel) return;
  var root = document.documentElement;
  var controlled = !!navigator.serviceWorker.controller;
  navigator.serviceWorker.register("/t/sw.js", { scope: "/t/" }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (reg) {
    if (controlled || !reg.active) {
      root.setAttribute("data-kept", controlled ? "1" : "0");
      return;
    }
    var channel = new MessageChannel();
    channel.port1.onmessage = function (e) {
      root.setAttribute("data-kept", e.data && e.data.kept ? "1" : "0");
    };
    reg.active.postMessage({ keep: location.href }, [channel.port2]);
  }).catch(function () { /* no worker: the pages still work online */ });
})();
