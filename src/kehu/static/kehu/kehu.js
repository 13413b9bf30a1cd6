/* Kehu's few behaviours, declared with data- attributes: the Content-Security-Policy allows
   no inline script or event handler, so templates say what they want and this file does it.
   Delegated from the document, so content htmx swaps in later behaves the same. */
(function () {
  "use strict";

  // <select data-autosubmit>: submit its form when the choice changes (language switch).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.submit();
    }
  });

  document.addEventListener("click", function (event) {
    if (!(event.target instanceof Element)) return;
    // <button data-confirm="Question?">: ask before the form is sent.
    var confirmEl = event.target.closest("[data-confirm]");
    if (confirmEl && !window.confirm(confirmEl.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    // <button data-fill-target="id_other" data-fill-value="42">: put the value in the field.
    var fillEl = event.target.closest("[data-fill-target]");
    if (fillEl) {
      var field = document.getElementById(fillEl.getAttribute("data-fill-target"));
      if (field) {
        field.value = fillEl.getAttribute("data-fill-value");
        field.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
  }, true);
})();
