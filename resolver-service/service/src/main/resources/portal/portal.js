// Progressive enhancement only: every form works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Copy buttons: hidden without script (there is nothing to copy with then but the selection).
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (!target || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.textContent.trim()).then(function () {
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = "Copy"; }, 2000);
      });
    });
  });

  // The grant form shows only the fields of the chosen principal type.
  var form = document.getElementById("grant-form");
  if (form) {
    var show = function () {
      var checked = form.querySelector("input[name=principal_type]:checked");
      var type = checked ? checked.value : "system";
      form.querySelectorAll("[data-principal]").forEach(function (block) {
        block.hidden = block.getAttribute("data-principal").split(" ").indexOf(type) < 0;
      });
    };
    form.querySelectorAll("input[name=principal_type]").forEach(function (radio) {
      radio.addEventListener("change", show);
    });
    show();
  }
});
