// The sign-in opened from a questionnaire whose session expired is done: tell that tab (and any
// other open questionnaire) to send its pending answers now (static/js/questionnaire.js listens).
(function () {
  "use strict";
  if ("BroadcastChannel" in window) {
    const channel = new BroadcastChannel("convergence-session");
    channel.postMessage("signed-in");
    channel.close();
  }
})();
