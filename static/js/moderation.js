// Approve / Delete buttons without a page reload: each button's form names its JSON API URL;
// the request uses the session and the form's CSRF token. Without JavaScript the forms post
// to the site's own moderation views instead.
(function () {
  "use strict";
  if (!window.fetch) return;

  function updateBadges(pending) {
    if (!pending) return;
    document.querySelectorAll("[data-pending-count]").forEach(function (badge) {
      var count = pending[badge.dataset.pendingCount];
      if (typeof count === "number") badge.textContent = String(count);
    });
  }

  function showError(comment, message) {
    var box = comment.querySelector("[data-moderation-error]");
    if (!box) return;
    box.textContent = message;
    box.hidden = false;
  }

  function settle(comment, method) {
    var list = comment.closest("[data-on-approve]");
    if (method === "DELETE" || (list && list.dataset.onApprove === "remove")) {
      comment.remove();
    } else {
      comment.querySelectorAll("[data-pending-label], [data-comment-actions], [data-moderation-error]")
        .forEach(function (element) { element.remove(); });
    }
    if (list) {
      var empty = list.querySelector("[data-queue-empty]");
      if (empty && !list.querySelector("[data-comment]")) empty.hidden = false;
    }
  }

  // The page writes these in its own language, on the element around the comments.
  function say(comment, name) {
    var holder = comment.closest("[data-error-failed]");
    return holder ? holder.dataset[name] : "";
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-moderate]");
    if (!form) return;
    event.preventDefault();
    var comment = form.closest("[data-comment]");
    var method = form.dataset.moderate;
    var buttons = comment.querySelectorAll("[data-comment-actions] button");
    buttons.forEach(function (button) { button.disabled = true; });
    fetch(form.dataset.apiUrl, {
      method: method,
      credentials: "same-origin",
      headers: {
        "X-CSRFToken": form.querySelector("input[name=csrfmiddlewaretoken]").value,
        "Accept": "application/json"
      }
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { ok: response.ok, data: data };
        }, function () {
          var message = say(comment, "errorNoAnswer").replace("%(status)s", String(response.status));
          return { ok: false, data: { message: message } };
        });
      })
      .then(function (result) {
        if (!result.ok) {
          showError(comment, result.data.message || say(comment, "errorFailed"));
          buttons.forEach(function (button) { button.disabled = false; });
          return;
        }
        updateBadges(result.data.pending);
        settle(comment, method);
      })
      .catch(function () {
        showError(comment, say(comment, "errorUnreachable"));
        buttons.forEach(function (button) { button.disabled = false; });
      });
  });
})();
