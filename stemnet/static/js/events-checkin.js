// Events check-in on a phone: scan a QR code with the camera (BarcodeDetector, where the
// browser has it) or type the code. Every scan is queued in localStorage first and sent in
// batches, so check-in goes on while the venue has no connection; the queue is sent again
// when the phone is back online.
(function () {
  "use strict";

  var root, form, input, result, queueNote, key, sending = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function save(items) { localStorage.setItem(key, JSON.stringify(items)); }

  function show(ok, message) {
    result.textContent = message;
    result.className = "message " + (ok ? "message-success" : "message-error");
    if (ok) { input.removeAttribute("aria-invalid"); } else { input.setAttribute("aria-invalid", "true"); }
  }

  function showQueue() {
    var n = load().length;
    queueNote.textContent = n ? root.dataset.msgPending + ": " + n : "";
  }

  function token() {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function sync() {
    var items = load();
    if (sending || !items.length) { showQueue(); return Promise.resolve(); }
    sending = true;
    return fetch(root.dataset.syncUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token() },
      body: JSON.stringify({ items: items })
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      var sent = items.length;
      save(load().slice(sent));
      var last = data.results[data.results.length - 1];
      if (last) { show(last.ok, last.message); }
    }).catch(function () {
      show(true, root.dataset.msgQueued);
    }).finally(function () {
      sending = false;
      showQueue();
    });
  }

  function enqueue(code) {
    code = (code || "").trim();
    if (!code) { return; }
    var items = load();
    items.push({ code: code, at: new Date().toISOString() });
    save(items);
    input.value = "";
    showQueue();
    sync();
  }

  function camera() {
    var video = document.getElementById("checkin-video");
    var button = document.getElementById("checkin-camera");
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    var lastCode = "", lastAt = 0;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        button.hidden = true;
        video.play();
        function tick() {
          detector.detect(video).then(function (codes) {
            var now = Date.now();
            if (codes.length && (codes[0].rawValue !== lastCode || now - lastAt > 4000)) {
              lastCode = codes[0].rawValue;
              lastAt = now;
              enqueue(lastCode);
            }
          }).catch(function () {}).finally(function () { setTimeout(tick, 300); });
        }
        tick();
      }).catch(function () { button.hidden = true; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    root = document.getElementById("checkin");
    if (!root) { return; }
    form = document.getElementById("checkin-form");
    input = document.getElementById("checkin-code");
    result = document.getElementById("checkin-result");
    queueNote = document.getElementById("checkin-queue");
    key = "stemnet-checkin-" + root.dataset.event;
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      enqueue(input.value);
    });
    window.addEventListener("online", sync);
    setInterval(sync, 15000);
    camera();
    sync();
  });
})();
