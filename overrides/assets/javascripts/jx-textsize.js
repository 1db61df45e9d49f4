/* Larger-text mode (适老化): the 大字 button in the header toggles the class jx-large
   on <html>; the choice is kept in localStorage and applied before first paint by
   the inline script in main.html. */
(function () {
  "use strict";
  var KEY = "jx-textsize";
  var CLASS = "jx-large";
  var root = document.documentElement;

  function save(large) {
    try {
      if (large) localStorage.setItem(KEY, "large");
      else localStorage.removeItem(KEY);
    } catch (e) {
      // Storage can be full or blocked; the mode still holds on this page.
    }
  }

  function sync() {
    var large = root.classList.contains(CLASS);
    var buttons = document.querySelectorAll("[data-jx-textsize]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", large ? "true" : "false");
    }
  }

  // Delegated, so it keeps working if instant navigation ever swaps the header.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-jx-textsize]");
    if (!button) return;
    save(root.classList.toggle(CLASS));
    sync();
  });

  // Another tab changed the setting.
  window.addEventListener("storage", function (event) {
    if (event.key !== KEY) return;
    root.classList.toggle(CLASS, event.newValue === "large");
    sync();
  });

  // Material's document$ emits on the first load and after each instant navigation.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(sync);
  } else {
    sync();
  }
})();
