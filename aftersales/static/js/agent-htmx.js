// Staff screens: htmx answers 409/422 with the form and its errors, so show them instead of
// dropping the response; other failures put a short message in the page's alert slot.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      return;
    }
    var slot = document.getElementById("agent-alert");
    if (!slot) {
      return;
    }
    var key = status === 403 ? "data-msg-forbidden" : status === 404 ? "data-msg-missing" : "data-msg-failed";
    slot.textContent = slot.getAttribute(key) || slot.getAttribute("data-msg-failed");
    slot.classList.remove("d-none");
  });
  document.addEventListener("htmx:sendError", function () {
    var slot = document.getElementById("agent-alert");
    if (slot) {
      slot.textContent = slot.getAttribute("data-msg-offline");
      slot.classList.remove("d-none");
    }
  });
})();
