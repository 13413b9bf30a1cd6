/* The reply form's article search: <button data-kb-insert="Title: https://…"
   data-kb-target="id_body"> appends the link to the reply's text where the cursor is (the
   Content-Security-Policy allows no inline script, so this file does it). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (!(event.target instanceof Element)) return;
    var button = event.target.closest("[data-kb-insert]");
    if (!button) return;
    event.preventDefault();
    var field = document.getElementById(button.getAttribute("data-kb-target"));
    if (!field) return;
    var text = button.getAttribute("data-kb-insert");
    var start = field.selectionStart != null ? field.selectionStart : field.value.length;
    var end = field.selectionEnd != null ? field.selectionEnd : start;
    var before = field.value.slice(0, start);
    var after = field.value.slice(end);
    var lead = before && !/\s$/.test(before) ? "\n" : "";
    field.value = before + lead + text + "\n" + after;
    var caret = (before + lead + text + "\n").length;
    field.focus();
    field.setSelectionRange(caret, caret);
    field.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
