/* The report form: focus the error summary when the form comes back with errors; indicator rows (show
   the bank only for bank accounts; "Add another" clones the formset's empty form). Without script the
   three rows and the bank select still work. Served as a file: the Content-Security-Policy allows no
   inline script. */
(function () {
  "use strict";
  function start() {
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();

    var box = document.querySelector("[data-indicator-rows]");
    var tpl = document.getElementById("indicator-row-template");
    var add = document.querySelector("[data-add-indicator]");
    var total = document.getElementById("indicator-TOTAL_FORMS");
    if (!box || !tpl || !add || !total) return;
    var max = parseInt(box.getAttribute("data-max"), 10) || 50;
    function sync(row) {
      var kind = row.querySelector("[data-kind]"), bank = row.querySelector("[data-bank]");
      if (kind && bank) bank.hidden = kind.value !== "bank_account";
    }
    function rows() { return box.querySelectorAll("[data-indicator-row]"); }
    Array.prototype.forEach.call(rows(), sync);
    box.addEventListener("change", function (event) {
      if (event.target.matches("[data-kind]")) sync(event.target.closest("[data-indicator-row]"));
    });
    add.hidden = rows().length >= max;
    add.addEventListener("click", function () {
      var current = rows(), next = 0;
      Array.prototype.forEach.call(current, function (r) {
        next = Math.max(next, parseInt(r.getAttribute("data-index"), 10) + 1);
      });
      if (current.length >= max) return;
      box.insertAdjacentHTML("beforeend",
        tpl.innerHTML.replace(/__prefix__/g, String(next)).replace(/__NUM__/g, String(current.length + 1)));
      total.value = String(next + 1);  /* the formset reads rows 0 to TOTAL_FORMS - 1 */
      var row = box.lastElementChild;
      sync(row);
      row.querySelector("input").focus();
      add.hidden = rows().length >= max;
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
