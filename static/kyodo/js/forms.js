// A form sent back with errors: move the focus to its error summary (a screen reader reads
// it, the page scrolls to it), and let each item of the summary take the focus to its field.
// A file of its own: the site's Content-Security-Policy allows no inline script.
(function () {
  "use strict";

  function fieldFor(id) {
    // Radio buttons and checkboxes carry the field's id with _0, _1, … on each choice.
    return document.getElementById(id) || document.getElementById(id + "_0");
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-field]");
    if (!link) {
      return;
    }
    var field = fieldFor(link.getAttribute("data-error-field"));
    if (field) {
      event.preventDefault();
      field.scrollIntoView({ block: "center" });
      field.focus();
    }
  });

  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();
