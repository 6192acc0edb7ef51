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

/* The staff menu on a narrow screen: the header keeps the brand, the search box and a "Menu" button; the
   navigation and the account opens under it. Without script the menu is simply always open. */
(function () {
  "use strict";
  function setup() {
    var button = document.querySelector(".menu-toggle");
    var menu = document.getElementById("topmenu");
    if (!button || !menu) return;
    document.documentElement.classList.add("has-menu");
    button.hidden = false;
    function setOpen(open) {
      menu.classList.toggle("open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();

/* Lists with a "select all" box (the inbox's bulk acknowledgement): the box ticks every row's box. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box || !box.matches || !box.matches("input[data-select-all]")) return;
    var form = box.form;
    if (!form) return;
    form.querySelectorAll("input[type=checkbox][name='" + box.getAttribute("data-select-all") + "']").forEach(function (row) {
      if (!row.disabled) row.checked = box.checked;
    });
  });
})();

/* Copy and print buttons (a public warning's share link, a report's receipt): a button with data-copy="#field"
   copies that read-only field's text and says so in the [data-copy-status] region; a button with data-print
   prints the page. Both stay hidden without script: the field can be copied by hand, the page printed. */
(function () {
  "use strict";
  function copied(button) {
    var status = document.querySelector("[data-copy-status]");
    if (status) status.textContent = button.getAttribute("data-copied") || "";
  }
  function setup() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var field = document.querySelector(button.getAttribute("data-copy"));
      if (!field) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(field.value).then(function () { copied(button); }, function () {
            field.select();
          });
        } else {
          field.focus();
          field.select();
          try {
            if (document.execCommand("copy")) copied(button);
          } catch (e) { /* the text stays selected for the person to copy */ }
        }
      });
      field.addEventListener("focus", function () { field.select(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
