/* The report form: focus the error summary when the form comes back with errors; the violation search (a
   box that narrows the grouped select as one types, accents optional); indicator rows (show the bank only
   for bank accounts; "Add another" clones the formset's empty form). Without script the grouped select,
   the three rows and the bank select still work. Served as a file: the Content-Security-Policy allows no
   inline script. */
(function () {
  "use strict";
  /* "Lừa đảo" -> "lua dao": lower case, marks removed, đ as d, spaces collapsed. */
  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ]/g, "d").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function behaviourSearch() {
    var box = document.querySelector("[data-behaviour-search]");
    var input = document.getElementById("behaviour-search");
    var status = document.getElementById("behaviour-search-status");
    if (!box || !input) return;
    box.hidden = false;
    function select() { return document.getElementById("id_behaviour"); }
    function apply(announce) {
      var sel = select();
      if (!sel) return;
      var words = fold(input.value).split(" ").filter(Boolean), found = 0;
      Array.prototype.forEach.call(sel.querySelectorAll("option"), function (option) {
        if (!option.value) return;  /* "Not sure" always stays */
        var text = fold(option.textContent + " " + (option.parentNode.label || ""));
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        /* The chosen option stays visible, so the select never shows a choice it hides. */
        option.hidden = !match && !option.selected;
        option.disabled = option.hidden;
        if (match) found += 1;
      });
      Array.prototype.forEach.call(sel.querySelectorAll("optgroup"), function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
      if (!announce || !status) return;
      if (!words.length) { status.textContent = ""; return; }
      status.textContent = found === 0 ? box.getAttribute("data-found-none")
        : found === 1 ? box.getAttribute("data-found-one")
        : box.getAttribute("data-found-many").replace("{n}", String(found));
    }
    input.addEventListener("input", function () { apply(true); });
    input.addEventListener("keydown", function (event) {
      /* Enter or the down arrow goes to the list (Enter would otherwise send the form). */
      if (event.key === "Enter" || event.key === "ArrowDown") {
        event.preventDefault();
        var sel = select();
        if (!sel) return;
        var first = sel.querySelector("option:not([hidden]):not([value=''])");
        if (first && event.key === "Enter" && !sel.value) sel.value = first.value;
        sel.focus();
      }
    });
    /* The sector select swaps in a narrower list (htmx): the words typed still apply to it. */
    document.body.addEventListener("htmx:afterSettle", function () { apply(false); });
    if (input.value) apply(false);
  }

  function start() {
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
    behaviourSearch();

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
