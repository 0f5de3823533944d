// Search page: "Use my location" sorts the results by distance from where the
// person is. Nothing happens until the button is pressed; the position is
// rounded to two decimals (about a kilometre) before it leaves the browser
// and is sent only as part of the search, never stored.
(function () {
  "use strict";
  var button = document.querySelector("[data-use-location]");
  if (!button || !("geolocation" in navigator)) { return; }
  var form = button.closest("form");
  var status = document.querySelector("[data-location-status]");
  var lat = form.querySelector("[data-lat]");
  var lon = form.querySelector("[data-lon]");
  var near = form.querySelector("select[name=near]");
  button.hidden = false;

  function say(text) { if (status) { status.textContent = text; } }

  button.addEventListener("click", function () {
    say(button.getAttribute("data-locating") || "");
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (position) {
      button.disabled = false;
      lat.value = position.coords.latitude.toFixed(2);
      lon.value = position.coords.longitude.toFixed(2);
      lat.disabled = false;
      lon.disabled = false;
      if (near) { near.value = ""; }
      say(button.getAttribute("data-located") || "");
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    }, function () {
      button.disabled = false;
      say(button.getAttribute("data-failed") || "");
    }, { enableHighAccuracy: false, maximumAge: 600000, timeout: 15000 });
  });

  // Choosing a city replaces "my location" as the point to sort from.
  if (near) {
    near.addEventListener("change", function () {
      if (near.value) {
        say("");
        lat.value = ""; lon.value = "";
        lat.disabled = true; lon.disabled = true;
      }
    }, true);
  }
})();
