// Events: the place of an event on a Leaflet map. The tile origin comes from the page
// (settings.CSP_MAP_TILES, the one outside origin the Content-Security-Policy allows).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("event-map");
    if (!box || typeof L === "undefined") { return; }
    var point = [parseFloat(box.dataset.lat), parseFloat(box.dataset.lon)];
    var map = L.map(box, { scrollWheelZoom: false }).setView(point, 15);
    L.tileLayer(box.dataset.tiles, {
      maxZoom: 19,
      attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
    }).addTo(map);
    L.marker(point, { title: box.dataset.title, alt: box.dataset.title }).addTo(map);
  });
})();
