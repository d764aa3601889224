// What the templates ask for with data- attributes, so that no page carries inline script or
// style and the Content-Security-Policy can say script-src 'self' and style-src 'self':
//   <select data-submit>       sends its form when the choice changes
//   <form data-confirm="…">    asks before it is sent
//   <span data-width="42%">    gets that width (progress bars; set through the DOM, which CSP allows)
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-submit]") && el.form) {
      el.form.submit();
    }
  });
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  function widths(root) {
    if (!root || !root.querySelectorAll) { return; }
    var found = Array.prototype.slice.call(root.querySelectorAll("[data-width]"));
    if (root.matches && root.matches("[data-width]")) { found.push(root); }
    found.forEach(function (el) { el.style.width = el.getAttribute("data-width"); });
  }
  document.addEventListener("DOMContentLoaded", function () { widths(document); });
  document.addEventListener("htmx:load", function (event) { widths(event.detail.elt); });
})();
