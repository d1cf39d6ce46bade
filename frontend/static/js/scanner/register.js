// Keep the scanner on the phone for use without network (scope: /scan only). A file of
// its own: the Content-Security-Policy runs no inline script.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/scan-sw.js", { scope: "/scan" }).catch(function () {});
}
