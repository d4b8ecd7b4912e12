// Approve / Delete buttons without a page reload: each button's form names its JSON API URL;
// the request uses the session and the form's CSRF token. Without JavaScript the forms post
// to the site's own moderation views instead.
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
    var form = event.target.closest("form[data-moderate]");
    if (!form) return;
    event.preventDefault();
    var comment = form.closest("[data-comment]");
    var method = form.dataset.moderate;
    var buttons = comment.querySelectorAll("[data-comment-actions] button");
    buttons.forEach(function (button) { button.disabled = true; });
    window.talksApi.send(form, method).then(function (result) {
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
