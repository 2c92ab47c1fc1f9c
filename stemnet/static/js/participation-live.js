// The live room's timer: counts down the seconds the server rendered (data-seconds), so the
// projector and phones tick every second without asking the server.
(function () {
  "use strict";
  function tick() {
    var now = Date.now();
    document.querySelectorAll(".countdown[data-seconds]").forEach(function (el) {
      if (!el.dataset.endsAt) {
        el.dataset.endsAt = String(now + Number(el.dataset.seconds) * 1000);
      }
      var left = Math.max(0, Math.ceil((Number(el.dataset.endsAt) - now) / 1000));
      if (el.textContent !== String(left)) {
        el.textContent = String(left);
      }
    });
  }
  setInterval(tick, 250);
})();
