// Quick exit: leave at once for a neutral site, replacing this page in the
// history so that "Back" does not return to Waypoint. Escape pressed twice
// does the same from anywhere on the page.
(function () {
  "use strict";
  function leave(url) {
    try { document.body.style.display = "none"; } catch (e) { /* nothing */ }
    window.location.replace(url);
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-quick-exit]") : null;
    if (!link) { return; }
    event.preventDefault();
    leave(link.href);
  });
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (now - lastEscape < 800) {
      var link = document.querySelector("[data-quick-exit]");
      if (link) { leave(link.href); }
    }
    lastEscape = now;
  });
})();
