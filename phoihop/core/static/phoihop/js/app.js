/* Behaviour shared by every page, loaded from the app's own static files: the Content-Security-Policy
   (script-src 'self') allows no inline script and no inline event handler. */
(function () {
  "use strict";
  /* A form marked data-drop-empty sends only the fields that have a value, so the address htmx pushes
     stays short (?q=lua rather than ?q=lua&status=&org=...). Without script the form sends them all. */
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    var data = event.detail && event.detail.formData;
    if (!elt || !data || !elt.closest || !elt.closest("[data-drop-empty]")) return;
    Array.from(new Set(data.keys())).forEach(function (key) {
      if (data.getAll(key).every(function (value) { return value === ""; })) data.delete(key);
    });
  });
})();
