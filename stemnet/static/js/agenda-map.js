// STEM agenda: show the activities of a page on a Leaflet map. The list is the accessible
// alternative; without JavaScript or tiles the page still works (markers show without tiles).
(function () {
  "use strict";

  function text(tag, value) {
    var el = document.createElement(tag);
    el.textContent = value;
    return el;
  }

  function init(root) {
    var scope = root || document;
    var box = scope.querySelector ? scope.querySelector("#agenda-map") : null;
    if (!box && root && root.id === "agenda-map") { box = root; }
    if (!box || box.dataset.ready || typeof L === "undefined") { return; }
    var source = document.getElementById(box.dataset.markers);
    var markers = source ? JSON.parse(source.textContent) : [];
    if (!markers.length) { return; }
    box.dataset.ready = "1";
    var map = L.map(box, { scrollWheelZoom: false });
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
    }).addTo(map);
    var points = [];
    markers.forEach(function (m) {
      var marker = L.marker([m.lat, m.lon], { title: m.title, alt: m.title, keyboard: true }).addTo(map);
      var popup = document.createElement("div");
      if (m.url) {
        var link = text("a", m.title);
        link.href = m.url;
        popup.appendChild(link);
      } else {
        popup.appendChild(text("strong", m.title));
      }
      if (m.place) { popup.appendChild(document.createElement("br")); popup.appendChild(text("span", m.place)); }
      if (m.when) { popup.appendChild(document.createElement("br")); popup.appendChild(text("span", m.when)); }
      marker.bindPopup(popup);
      points.push([m.lat, m.lon]);
    });
    if (points.length === 1) {
      map.setView(points[0], parseInt(box.dataset.zoom || "13", 10));
    } else {
      map.fitBounds(points, { padding: [24, 24], maxZoom: 14 });
    }
  }

  // After an HTMX update the field errors arrive out of band: keep aria-invalid in step.
  function syncInvalid() {
    document.querySelectorAll(".agenda-filters [aria-describedby]").forEach(function (input) {
      var note = document.getElementById(input.getAttribute("aria-describedby"));
      if (!note || !note.classList.contains("errorlist")) { return; }
      if (note.textContent.trim()) { input.setAttribute("aria-invalid", "true"); }
      else { input.removeAttribute("aria-invalid"); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
    // On a wide screen there is room to show every filter with its count.
    var more = document.getElementById("more-filters");
    if (more && window.matchMedia && window.matchMedia("(min-width: 60rem)").matches) {
      more.open = true;
    }
  });
  document.addEventListener("htmx:afterSettle", syncInvalid);

  // The address is the search: make every control show it. HTMX's history keeps a page as
  // markup, and markup holds the state a control had when the page was first served, not
  // what was typed or ticked since; so Back would show one search with another's form.
  function syncFormWithUrl() {
    var form = document.getElementById("agenda-filters");
    if (!form) { return; }
    var params = new URLSearchParams(window.location.search);
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "submit" || el.type === "button") { return; }
      var values = params.getAll(el.name);
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = values.indexOf(el.value) !== -1;
      } else if (el.tagName === "SELECT") {
        var wanted = values.length ? values[0] : "";
        var match = Array.prototype.some.call(el.options, function (o) { return o.value === wanted; });
        if (match) { el.value = wanted; }
      } else if (el.type === "hidden") {
        el.value = values.length ? values[0] : (el.name === "view" ? "list" : "");
      } else {
        el.value = values.length ? values[0] : "";
      }
    });
    syncInvalid();
  }
  document.addEventListener("htmx:historyRestore", syncFormWithUrl);
  // The browser's back-forward cache and form restoring can do the same to a full page.
  window.addEventListener("pageshow", function (event) { if (event.persisted) { syncFormWithUrl(); } });

  // Keep the shared URL short: leave out empty fields (and the default list view).
  document.addEventListener("htmx:configRequest", function (event) {
    if (!event.detail.elt || event.detail.elt.id !== "agenda-filters") { return; }
    var data = event.detail.formData;
    if (!data || !data.entries) { return; }
    var empty = [];
    Array.from(data.entries()).forEach(function (pair) {
      var values = data.getAll(pair[0]);
      var blank = values.every(function (v) { return v === ""; });
      if (blank || (pair[0] === "view" && values[0] === "list")) { empty.push(pair[0]); }
    });
    empty.forEach(function (name) { data.delete(name); });
  });
  document.addEventListener("htmx:afterSettle", function (event) { init(event.detail.elt); init(document); });
})();
