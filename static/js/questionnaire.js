// Item-by-item autosave: a status line per item, and nothing typed is ever lost on a network or
// server failure: the item keeps its values, says so, offers "Réessayer", retries when the
// connection comes back, and leaving the page asks for confirmation while something is unsaved.
(function () {
  "use strict";
  const OFFLINE = "Connexion impossible : votre réponse n'est pas enregistrée, elle reste dans la page.";
  const FAILED = "Le serveur n'a pas pu enregistrer votre réponse ; elle reste dans la page.";

  function itemOf(event) {
    const elt = event.detail && event.detail.elt;
    return elt && elt.closest ? elt.closest("form.cv-item") : null;
  }

  function status(form) {
    return form.querySelector(".cv-item__status");
  }

  function fail(form, text) {
    form.dataset.unsaved = "1";
    const line = status(form);
    line.textContent = "";
    const message = document.createElement("span");
    message.className = "cv-status--error";
    message.textContent = text + " ";
    const retry = document.createElement("button");
    retry.type = "button";
    retry.className = "fr-btn fr-btn--sm fr-btn--tertiary cv-retry";
    retry.textContent = "Réessayer";
    line.append(message, retry);
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    const form = itemOf(event);
    // A class, not new text: replacing the status line here would move the page under the
    // pointer of someone clicking the next item while this one saves on blur.
    if (form) {
      form.dataset.unsaved = "1";
      form.classList.add("cv-item--saving");
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    const form = itemOf(event);
    if (!form) return;
    form.classList.remove("cv-item--saving");
    if (event.detail.successful) delete form.dataset.unsaved;
  });
  document.addEventListener("htmx:sendError", function (event) {
    const form = itemOf(event);
    if (form) fail(form, OFFLINE);
  });
  document.addEventListener("htmx:responseError", function (event) {
    const form = itemOf(event);
    if (form) fail(form, FAILED);
  });
  document.addEventListener("click", function (event) {
    const button = event.target.closest(".cv-retry");
    if (button) htmx.trigger(button.closest("form.cv-item"), "retry");
  });
  window.addEventListener("online", function () {
    document.querySelectorAll("form.cv-item[data-unsaved]").forEach(function (form) {
      htmx.trigger(form, "retry");
    });
  });
  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector("form.cv-item[data-unsaved]")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
