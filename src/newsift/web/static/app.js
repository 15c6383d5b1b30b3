// newsift web: light progressive enhancement only. Never writes article content as HTML.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var body = document.getElementById("article-body");
    document.querySelectorAll("#layer-toggles input[data-layer]").forEach(function (box) {
      box.addEventListener("change", function () {
        if (body) body.classList.toggle("hide-" + box.dataset.layer, !box.checked);
      });
    });
    var form = document.getElementById("analyze-form");
    if (form) {
      form.addEventListener("submit", function () {
        var busy = document.getElementById("busy");
        var button = document.getElementById("submit");
        if (busy) busy.hidden = false;
        if (button) button.disabled = true;
      });
    }
  });
})();
