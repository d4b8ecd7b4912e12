// Approve / Delete buttons without a page reload: each button names its JSON API URL; the
// request uses the session and its form's CSRF token. Without JavaScript the buttons post to
// the site's own moderation views instead (their formaction).
(function () {
  "use strict";
  if (!window.talksApi) return;

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


  document.addEventListener("submit", function (event) {
    // Approve and trust has no API call, and a browser that does not say which button was
    // pressed has none to make: either posts the form to the button's formaction.
    var pressed = event.submitter;
    if (!pressed || !pressed.hasAttribute("data-moderate")) return;
    event.preventDefault();
    var comment = pressed.closest("[data-comment]");
    var method = pressed.dataset.moderate;
    var buttons = comment.querySelectorAll("[data-comment-actions] button");
    buttons.forEach(function (button) { button.disabled = true; });
    window.talksApi.send(pressed, method).then(function (result) {
      if (!result.ok) {
        showError(comment, result.data.message || window.talksApi.say(comment, "errorFailed"));
        buttons.forEach(function (button) { button.disabled = false; });
        return;
      }
      updateBadges(result.data.pending);
      settle(comment, method);
    });
  });
})();
