// Behaviours declared by data attributes, loaded on every page. The Content-Security-Policy
// forbids inline scripts and event handlers (onclick=, data-hx-on…): page behaviours live here.
(function () {
  "use strict";

  // <button data-cv-print>: print the page.
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-cv-print]")) {
      window.print();
    }
  });

  // Typing in a textarea raises "cv-typed" on its form: data-hx-trigger="cv-typed delay:1200ms" saves
  // after a pause (a trigger filter would be code for htmx to evaluate, which the policy forbids).
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (field.tagName === "TEXTAREA" && field.form && window.htmx) {
      window.htmx.trigger(field.form, "cv-typed");
    }
  });

  // Every htmx request sends the CSRF token of the cookie (Django's default CSRF_COOKIE_NAME, readable
  // by scripts): signing in again, in another tab, rotates the token, and the one written in a page
  // loaded before is stale from then on.
  document.addEventListener("htmx:configRequest", function (event) {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) event.detail.headers["X-CSRFToken"] = decodeURIComponent(match[1]);
  });

  // <form data-cv-reset-on-success data-hx-post=…>: emptied once htmx has saved it.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target.closest && event.target.closest("form[data-cv-reset-on-success]");
    if (form && event.detail.successful) {
      form.reset();
    }
  });
})();
