// Proof uploads with a progress bar: the form is sent by XMLHttpRequest (upload progress events);
// the server answers with a redirection to the item's proofs page, which is then shown. Without
// JavaScript the form posts normally.
(function () {
  "use strict";
  var TOO_LARGE = "Le fichier dépasse la taille maximale pour cette preuve : il n'a pas été envoyé.";
  var FAILED = "L'envoi a échoué (connexion interrompue) : réessayez.";

  function megabytes(bytes) {
    return (bytes / (1024 * 1024)).toFixed(1).replace(".", ",") + "\u00a0Mo";
  }

  function start(form, event) {
    var input = form.querySelector("input[type=file]");
    var box = form.querySelector(".cv-upload-progress");
    var bar = box.querySelector("progress");
    var text = box.querySelector(".cv-upload-progress__text");
    var button = form.querySelector("button[type=submit]");
    var max = parseInt(form.dataset.maxSize || "0", 10);
    event.preventDefault();
    box.hidden = false;
    if (input.files.length && max && input.files[0].size > max) {
      text.textContent = TOO_LARGE;
      return;
    }
    button.disabled = true;
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    // The server answers this request with the page to open (X-Proof-Next) instead of a redirection,
    // so that the message saying what became of the file is shown on that page.
    request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    request.upload.addEventListener("progress", function (progress) {
      if (progress.lengthComputable) {
        bar.value = Math.round((progress.loaded / progress.total) * 100);
        text.textContent = megabytes(progress.loaded) + " envoyés sur " + megabytes(progress.total);
      }
    });
    request.addEventListener("load", function () {
      if (request.status === 413) {
        text.textContent = TOO_LARGE;
        button.disabled = false;
        return;
      }
      window.location.assign(
        request.getResponseHeader("X-Proof-Next") || request.responseURL || window.location.href
      );
    });
    request.addEventListener("error", function () {
      text.textContent = FAILED;
      button.disabled = false;
    });
    request.send(new FormData(form));
  }

  document.querySelectorAll("form.cv-proof-upload").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      start(form, event);
    });
  });
})();
