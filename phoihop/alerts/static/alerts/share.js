/* The share link of a public warning: a "Copy the link" button (shown only when script runs; without it the
   link stays in a read-only field to copy by hand). No third-party widget, nothing fetched. */
(function () {
  "use strict";
  function copied(button, status) {
    if (status) status.textContent = button.getAttribute("data-copied") || "";
  }
  function setup() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var field = document.querySelector(button.getAttribute("data-copy"));
      var status = document.querySelector("[data-copy-status]");
      if (!field) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = field.value;
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(function () { copied(button, status); }, function () {
            field.select();
          });
        } else {
          field.focus();
          field.select();
          try {
            if (document.execCommand("copy")) copied(button, status);
          } catch (e) { /* the text stays selected for the person to copy */ }
        }
      });
      field.addEventListener("focus", function () { field.select(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
