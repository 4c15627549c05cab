// The navbar search box: arrow keys move through the dropdown's results, Enter opens the
// highlighted one (or the full results page), Escape closes the dropdown.
(function () {
  "use strict";
  function items() {
    var box = document.getElementById("search-suggest");
    return box ? Array.prototype.slice.call(box.querySelectorAll("[data-search-item]")) : [];
  }
  function active() {
    return document.querySelector("#search-suggest [data-search-item].active");
  }
  function move(step) {
    var list = items();
    if (!list.length) {
      return;
    }
    var current = active();
    var index = current ? list.indexOf(current) + step : (step > 0 ? 0 : list.length - 1);
    if (current) {
      current.classList.remove("active");
      current.removeAttribute("aria-selected");
    }
    index = (index + list.length) % list.length;
    list[index].classList.add("active");
    list[index].setAttribute("aria-selected", "true");
    list[index].scrollIntoView({ block: "nearest" });
  }
  function hide() {
    var box = document.getElementById("search-suggest");
    if (box) {
      box.classList.add("d-none");
    }
  }
  document.addEventListener("keydown", function (event) {
    if (!event.target || event.target.id !== "global-search-input") {
      return;
    }
    if (event.key === "ArrowDown") {
      event.preventDefault();
      move(1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      move(-1);
    } else if (event.key === "Enter") {
      var current = active();
      if (current) {
        event.preventDefault();
        window.location.assign(current.getAttribute("href"));
      }
    } else if (event.key === "Escape") {
      hide();
    }
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest("[data-testid=global-search]")) {
      hide();
    }
  });
})();
