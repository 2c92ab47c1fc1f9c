// STEMnet: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Show messages sent to HTMX requests through the HX-Trigger header.
  document.addEventListener("messages", function (event) {
    var box = document.getElementById("messages");
    if (!box || !event.detail || !event.detail.value) { return; }
    event.detail.value.forEach(function (m) {
      var p = document.createElement("p");
      p.className = "message message-" + m.level;
      p.textContent = m.message;
      box.appendChild(p);
    });
  });
})();
