// The JSON API call behind a moderator's buttons (moderation.js, speaker.js): the button's
// data-api-url, the session and its form's CSRF token, the answer read as { ok, data }. The
// words for a failure come from the page, in its language
// (templates/talks/_moderation_messages.html, on the element around the comments).
(function () {
  "use strict";
  if (!window.fetch) return;

  function say(element, name) {
    var holder = element.closest("[data-error-failed]");
    return holder ? holder.dataset[name] : "";
  }

  function failed(message) {
    return { ok: false, data: { message: message } };
  }

  window.talksApi = {
    say: say,
    // Resolves, never rejects: a server that did not answer is a failure with its message.
    send: function (button, method) {
      return fetch(button.dataset.apiUrl, {
        method: method,
        credentials: "same-origin",
        headers: {
          "X-CSRFToken": button.form.querySelector("input[name=csrfmiddlewaretoken]").value,
          "Accept": "application/json"
        }
      }).then(function (response) {
        return response.json().then(function (data) {
          return { ok: response.ok, data: data };
        }, function () {
          return failed(say(button, "errorNoAnswer").replace("%(status)s", String(response.status)));
        });
      }, function () {
        return failed(say(button, "errorUnreachable"));
      });
    }
  };
})();
