// Reach monitor: colour the municipalities of one year's set by participants (choropleth).
// The table next to the map holds the same numbers; without JavaScript, without Leaflet or
// when the boundaries cannot be loaded, the page still shows everything in the table.
// No tile layer: the boundaries are the map, so it works offline and without third parties.
(function () {
  "use strict";

  function init(root) {
    var scope = root && root.querySelector ? root : document;
    var box = scope.querySelector("#reach-map");
    if (!box && root && root.id === "reach-map") { box = root; }
    if (!box || box.dataset.ready || typeof L === "undefined" || !window.fetch) { return; }
    var source = document.getElementById(box.dataset.values);
    if (!source) { return; }
    var values = JSON.parse(source.textContent);
    // Class colours, light to dark, as in the legend (set by the server).
    var colours = JSON.parse(box.dataset.colours || "[]");
    box.dataset.ready = "1";
    var map = L.map(box, { scrollWheelZoom: false, zoomSnap: 0.25, attributionControl: true });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(box.dataset.attribution || "Statbel");
    map.setView([50.95, 4.3], 8);
    fetch(box.dataset.boundaries, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (collection) {
        var layer = L.geoJSON(collection, {
          style: function (feature) {
            var row = values[feature.properties.nis_code];
            var known = row !== undefined;
            return {
              weight: 0.6,
              color: "#4a5561",
              fillOpacity: known ? 0.9 : 0.25,
              fillColor: known ? colours[row.c] : "#ffffff"
            };
          },
          onEachFeature: function (feature, shape) {
            var row = values[feature.properties.nis_code];
            var text = feature.properties.name_nl;
            if (row !== undefined) { text += ": " + row.label; }
            shape.bindTooltip(text, { sticky: true });
          }
        }).addTo(map);
        var bounds = layer.getBounds();
        if (bounds.isValid()) { map.fitBounds(bounds, { padding: [8, 8] }); }
        box.removeAttribute("aria-busy");
      })
      .catch(function () {
        box.classList.add("reach-map-failed");
        box.removeAttribute("aria-busy");
        var note = document.getElementById(box.dataset.failed);
        if (note) { note.hidden = false; }
      });
  }

  // Keep the shared URL short: leave out the filters that were not set.
  document.addEventListener("htmx:configRequest", function (event) {
    if (!event.detail.elt || event.detail.elt.id !== "reach-filters") { return; }
    var data = event.detail.formData;
    if (!data || !data.entries) { return; }
    var empty = [];
    Array.from(data.entries()).forEach(function (pair) {
      if (pair[1] === "") { empty.push(pair[0]); }
    });
    empty.forEach(function (name) { data.delete(name); });
  });

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function (event) { init(event.detail.elt); });
})();
