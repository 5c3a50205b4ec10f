// The receipt's print button: shown only when there is a script to press it for.
(function () {
  "use strict";
  var button = document.querySelector("[data-print]");
  if (!button) return;
  button.hidden = false;
  var hint = document.querySelector(".print-hint");
  if (hint) hint.hidden = true;
  button.addEventListener("click", function () { window.print(); });
})();
