/* Organisation pickers (phoihop.directory.widgets, issue 13): a search box that narrows a grouped list as one
   types, accents and capitals optional ("ca an binh" finds "CA phường An Bình"), and "select all in this group"
   for checkbox lists. Without script the box stays hidden and the grouped list works as it is.

   Every picker's template loads this file (a page may hold several pickers, or get one from htmx): it sets
   itself up once, then enhances each [data-picker] it finds, now and in content htmx swaps in. A drop-down's
   options are taken out of the list rather than hidden, since phones ignore hidden options; the chosen ones
   always stay, so narrowing the list never changes what the form sends. Served as a file: the
   Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  if (window.phoihopPicker) return;

  /* "Lừa Đảo" -> "lua dao": lower case, marks removed, đ as d, spaces collapsed (as directory.widgets.fold). */
  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ]/g, "d").toLowerCase().replace(/\s+/g, " ").trim();
  }
  /* Punctuation is a space to the search: "(chi nhanh" and "ct-pc-an-binh" hold words too. */
  function plain(text) { return fold(text).replace(/[^a-z0-9&]+/g, " ").trim(); }
  function words(input) { return plain(input.value).split(" ").filter(Boolean); }
  /* A typed word matches the start of a word ("binh" finds Bình, not the end of Tân Bình's "tan binh" for
     "an binh"): the texts searched are folded with a space in front. */
  function has(text, words) { return text.indexOf(" " + words) !== -1; }
  function matches(text, ws) { return ws.every(function (w) { return has(text, w); }); }
  /* "ubnd an binh" should find the People's Committee of An Bình, not every "Công an" of a Bình commune:
     of the entries holding every word, only those keeping the most of the typed neighbours together match
     ("an binh" as typed); when none keeps any, every entry holding the words does. */
  function matcher(texts, ws) {
    var pairs = [];
    for (var i = 1; i < ws.length; i += 1) pairs.push(ws[i - 1] + " " + ws[i]);
    function together(text) { return pairs.filter(function (p) { return has(text, p); }).length; }
    var best = 0;
    texts.forEach(function (text) { if (matches(text, ws)) best = Math.max(best, together(text)); });
    return function (text) { return matches(text, ws) && together(text) >= best; };
  }

  function announce(box, status, ws, found) {
    if (!status) return;
    if (!ws.length) { status.textContent = ""; return; }
    status.textContent = found === 0 ? box.getAttribute("data-found-none")
      : found === 1 ? box.getAttribute("data-found-one")
      : box.getAttribute("data-found-many").replace("{n}", String(found));
  }

  /* The search box: shown, kept out of the form's own listeners (a filter form that reloads on "change"),
     Enter and the down arrow go to the list instead of sending the form. */
  function searchBox(box, apply, onEnter) {
    var wrap = box.querySelector("[data-picker-search]");
    var input = wrap && wrap.querySelector("[data-picker-input]");
    if (!input) return null;
    wrap.hidden = false;
    input.addEventListener("input", function () { apply(true); });
    input.addEventListener("change", function (event) { event.stopPropagation(); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === "ArrowDown") {
        event.preventDefault();
        onEnter(event.key === "Enter");
      } else if (event.key === "Escape" && input.value) {
        event.preventDefault();
        input.value = "";
        apply(true);
      }
    });
    return input;
  }

  function setupSelect(box) {
    var select = box.querySelector("select");
    if (!select) return;
    var status = box.querySelector("[data-picker-status]");
    /* The list as the server sent it: every node, and each option's words to search. */
    var nodes = Array.prototype.slice.call(select.children);
    nodes.forEach(function (node) {
      var options = node.tagName === "OPTGROUP" ? Array.prototype.slice.call(node.children) : [node];
      node.pickerOptions = options;
      options.forEach(function (option) {
        option.pickerText = " " + plain(option.textContent + " | " + (option.getAttribute("data-search") || "") + " | " +
          (node.tagName === "OPTGROUP" ? node.label : ""));
      });
    });
    var input = null;
    var texts = [];
    nodes.forEach(function (node) {
      node.pickerOptions.forEach(function (option) { if (option.value) texts.push(option.pickerText); });
    });
    function apply(speak) {
      var ws = words(input), found = 0, keep = [], hits = matcher(texts, ws);
      nodes.forEach(function (node) {
        var kept = node.pickerOptions.filter(function (option) {
          if (!option.value) return true;  /* the empty choice ("—", "Any lead") always stays */
          var hit = hits(option.pickerText);
          if (hit) found += 1;
          return hit || option.selected;
        });
        if (node.tagName === "OPTGROUP") {
          while (node.firstChild) node.removeChild(node.firstChild);
          kept.forEach(function (option) { node.appendChild(option); });
          if (kept.length) keep.push(node);
        } else if (kept.length) {
          keep.push(node);
        }
      });
      /* Re-inserting keeps each option's selectedness: the value the form sends does not move. */
      var chosen = Array.prototype.filter.call(select.options, function (o) { return o.selected; });
      while (select.firstChild) select.removeChild(select.firstChild);
      keep.forEach(function (node) { select.appendChild(node); });
      chosen.forEach(function (o) { o.selected = true; });
      if (speak) announce(box, status, ws, found);
    }
    input = searchBox(box, apply, function (enter) {
      var first = Array.prototype.find.call(select.options, function (o) { return o.value; });
      if (enter && first && !select.multiple && !select.value && words(input).length) {
        select.value = first.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      select.focus();
    });
    if (input && input.value) apply(false);
  }

  function setupChecks(box) {
    var status = box.querySelector("[data-picker-status]");
    var groups = Array.prototype.slice.call(box.querySelectorAll("[data-picker-group]"));
    var items = Array.prototype.slice.call(box.querySelectorAll("[data-picker-option]"));
    items.forEach(function (item) {
      var check = item.querySelector("input");
      var group = item.closest("[data-picker-group]");
      var name = group ? group.querySelector(".picker-group-name") : null;
      item.pickerCheck = check;
      item.pickerText = " " + plain(item.textContent + " | " + (check && check.getAttribute("data-search") || "") + " | " +
        (name ? name.textContent : ""));
    });
    function visible(group) {
      return Array.prototype.filter.call(group.querySelectorAll("[data-picker-option]"), function (item) {
        return !item.hidden && item.pickerCheck && !item.pickerCheck.disabled;
      });
    }
    /* Each group's heading says how many are ticked; its button selects or clears what is shown of it. */
    function refresh() {
      groups.forEach(function (group) {
        var ticked = group.querySelectorAll("input:checked").length;
        var chosen = group.querySelector("[data-picker-chosen]");
        if (chosen) chosen.textContent = ticked ? "· " + box.getAttribute("data-chosen").replace("{n}", String(ticked)) : "";
        var button = group.querySelector("[data-picker-all]");
        var shown = visible(group);
        if (!button) return;
        button.hidden = shown.length < 2;
        var all = shown.length && shown.every(function (item) { return item.pickerCheck.checked; });
        button.textContent = box.getAttribute(all ? "data-none" : "data-all");
      });
    }
    var input = null;
    function apply(speak) {
      var ws = input ? words(input) : [], found = 0;
      var hits = matcher(items.map(function (item) { return item.pickerText; }), ws);
      items.forEach(function (item) {
        var hit = hits(item.pickerText);
        if (hit) found += 1;
        item.hidden = !hit && !(item.pickerCheck && item.pickerCheck.checked);
      });
      groups.forEach(function (group) {
        if (!("pickerOpen" in group)) group.pickerOpen = group.open;
        var any = group.querySelector("[data-picker-option]:not([hidden])");
        group.hidden = !any;
        /* While searching, every group with a match opens; cleared, each goes back as it was. */
        group.open = ws.length ? !!any : group.pickerOpen;
      });
      refresh();
      if (speak) announce(box, status, ws, found);
    }
    groups.forEach(function (group) {
      group.addEventListener("toggle", function () {
        if (!input || !words(input).length) group.pickerOpen = group.open;
      });
      var button = group.querySelector("[data-picker-all]");
      if (!button) return;
      button.addEventListener("click", function () {
        var shown = visible(group);
        var all = shown.every(function (item) { return item.pickerCheck.checked; });
        shown.forEach(function (item) {
          if (item.pickerCheck.checked === !all) return;
          item.pickerCheck.checked = !all;
          item.pickerCheck.dispatchEvent(new Event("change", { bubbles: true }));
        });
        refresh();
      });
    });
    box.addEventListener("change", function (event) {
      if (event.target.matches("input[type=checkbox]")) refresh();
    });
    input = searchBox(box, apply, function () {
      var first = items.find(function (item) { return !item.hidden && item.pickerCheck; });
      if (first) first.pickerCheck.focus();
    });
    apply(false);
  }

  function scan(root) {
    if (!root || !root.querySelectorAll) return;
    var boxes = Array.prototype.slice.call(root.querySelectorAll("[data-picker]"));
    if (root.matches && root.matches("[data-picker]")) boxes.push(root);
    boxes.forEach(function (box) {
      if (box.pickerReady) return;
      box.pickerReady = true;
      box.setAttribute("data-picker-ready", "");
      if (box.getAttribute("data-picker") === "checks") setupChecks(box);
      else setupSelect(box);
    });
  }

  window.phoihopPicker = { scan: scan, fold: fold };
  document.addEventListener("htmx:load", function (event) { scan(event.detail && event.detail.elt); });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { scan(document); });
  else scan(document);
})();
