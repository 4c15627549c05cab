// Portal: show the photos a customer picked before the form is sent. No inline handlers (CSP).
(function () {
  "use strict";
  function render(input) {
    var box = document.querySelector('[data-portal-previews-for="' + input.id + '"]');
    if (!box) { return; }
    box.replaceChildren();
    Array.prototype.forEach.call(input.files || [], function (file) {
      if (file.type && file.type.indexOf("image/") === 0) {
        var img = document.createElement("img");
        img.alt = file.name;
        img.src = URL.createObjectURL(file);
        img.addEventListener("load", function () { URL.revokeObjectURL(img.src); });
        box.appendChild(img);
      } else {
        var span = document.createElement("span");
        span.className = "badge text-bg-light border portal-preview-name";
        span.textContent = file.name;
        box.appendChild(span);
      }
    });
  }
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.type === "file" && el.id && document.querySelector('[data-portal-previews-for="' + el.id + '"]')) {
      render(el);
    }
  });
})();

// A refused form (409/422) comes back with its errors: show it instead of dropping the answer.
document.addEventListener("htmx:beforeSwap", function (event) {
  "use strict";
  var status = event.detail.xhr.status;
  if (status === 409 || status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
