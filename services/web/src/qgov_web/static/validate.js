// Inline validation, as an enhancement: a field that does not meet its declared rules
// (required, pattern, maxlength) says so beside itself when the user leaves it. The server
// checks everything again; without this script the same errors come back with the page.
(function () {
  "use strict";
  function errorElement(field) {
    var described = (field.getAttribute("aria-describedby") || "").split(" ");
    for (var i = 0; i < described.length; i++) {
      if (/-error$/.test(described[i])) return document.getElementById(described[i]);
    }
    return null;
  }
  function check(field) {
    var error = errorElement(field);
    if (!error || !field.willValidate) return;
    var empty = field.value.trim() === "";
    var bad = field.required ? !field.checkValidity() : !empty && !field.checkValidity();
    if (bad) {
      error.textContent = field.getAttribute("data-invalid") || field.validationMessage;
      error.hidden = false;
      field.setAttribute("aria-invalid", "true");
    } else if (field.getAttribute("aria-invalid") === "true") {
      error.textContent = "";
      error.hidden = true;
      field.removeAttribute("aria-invalid");
    }
  }
  document.addEventListener("focusout", function (event) {
    var field = event.target;
    if (field.matches && field.matches("input[data-invalid], select[data-invalid], textarea[data-invalid]")) {
      check(field);
    }
  });
})();
