// Item-by-item autosave: a status line per item, and nothing typed is ever lost on a network or
// server failure, nor when the session expires: the item keeps its values, says "non enregistré",
// offers "Réessayer", retries when the connection or the session comes back, and leaving the page
// asks for confirmation while something is unsaved.
(function () {
  "use strict";
  const OFFLINE = "Non enregistré. Connexion impossible : votre réponse reste dans la page.";
  const FAILED = "Non enregistré. Le serveur n'a pas pu enregistrer votre réponse ; elle reste dans la page.";
  const SIGNED_OUT = "Non enregistré. Votre session a expiré : votre réponse reste dans la page.";
  // Sent by the page that ends a sign-in opened from this one (static/js/session_resumed.js).
  const CHANNEL = "convergence-session";
  // Set by "Réessayer l'enregistrement": a retry still refused shows the alert again (announced anew).
  let announceAgain = false;

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
    const slot = document.getElementById("cv-session-slot");
    if (slot && slot.querySelector(".fr-alert--success")) slot.replaceChildren();
  }

  // --- Session expired, CSRF token stale ----------------------------------------------------------
  function showAlert(templateId) {
    const slot = document.getElementById("cv-session-slot");
    const template = document.getElementById(templateId);
    if (!slot || !template) return;
    // A new node, so that screen readers announce it (role="alert" / "status").
    slot.replaceChildren(template.content.cloneNode(true));
  }

  function signedOut() {
    return !!document.querySelector("#cv-session-slot .fr-alert--warning");
  }

  function retryPending() {
    document.querySelectorAll("form.cv-item[data-unsaved]").forEach(function (form) {
      htmx.trigger(form, "retry");
    });
  }

  // Why a response did not save anything, or "" when it did. An expired session shows as a 401, as
  // a 403 (CSRF check) or as a redirect the browser followed (to the login page, the second factor or
  // the terms of use): the final URL is not the one asked.
  function refusal(xhr, requestPath) {
    if (xhr.status === 401 || xhr.status === 403) return SIGNED_OUT;
    if (xhr.responseURL && requestPath) {
      const asked = new URL(requestPath, window.location.href).pathname;
      if (new URL(xhr.responseURL).pathname !== asked) return SIGNED_OUT;
    }
    if (xhr.status === 0 || xhr.status >= 400) return FAILED;
    return "";
  }

  // Never swap a refused response (a login page, an error page) into the questionnaire.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const detail = event.detail;
    const reason = refusal(detail.xhr, detail.pathInfo && detail.pathInfo.requestPath);
    if (!reason) return;
    detail.shouldSwap = false;
    detail.isError = true;
    const form = itemOf(event);
    if (form) {
      form.dataset.refused = "1";
      fail(form, reason);
    }
    if (reason === SIGNED_OUT && (announceAgain || !signedOut())) {
      announceAgain = false;
      showAlert("cv-session-lost");
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    const form = itemOf(event);
    // A class, not new text: replacing the status line here would move the page under the
    // pointer of someone clicking the next item while this one saves on blur.
    if (form) {
      form.dataset.unsaved = "1";
      delete form.dataset.refused;
      form.classList.add("cv-item--saving");
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    const form = itemOf(event);
    if (!form) return;
    form.classList.remove("cv-item--saving");
    if (event.detail.successful && !form.dataset.refused) {
      delete form.dataset.unsaved;
      if (signedOut() && !document.querySelector("form.cv-item[data-unsaved]")) showAlert("cv-session-back");
    }
  });
  document.addEventListener("htmx:sendError", function (event) {
    const form = itemOf(event);
    if (form) fail(form, OFFLINE);
  });
  document.addEventListener("htmx:timeout", function (event) {
    const form = itemOf(event);
    if (form) fail(form, OFFLINE);
  });
  document.addEventListener("htmx:responseError", function (event) {
    const form = itemOf(event);
    // Already said by htmx:beforeSwap, which saw the response first.
    if (form && !form.dataset.refused) fail(form, FAILED);
  });
  document.addEventListener("click", function (event) {
    const button = event.target.closest(".cv-retry");
    if (button) htmx.trigger(button.closest("form.cv-item"), "retry");
    if (event.target.closest(".cv-session-retry")) {
      announceAgain = true;
      retryPending();
    }
  });
  window.addEventListener("online", retryPending);
  // Back from the tab where the person signed in again: send what is pending.
  window.addEventListener("focus", function () {
    if (signedOut()) retryPending();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && signedOut()) retryPending();
  });
  if ("BroadcastChannel" in window) {
    new BroadcastChannel(CHANNEL).addEventListener("message", function () {
      if (signedOut()) retryPending();
    });
  }
  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector("form.cv-item[data-unsaved]")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
