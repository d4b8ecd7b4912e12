// Pin / Unpin and Mark answered / Not answered without a page reload: each button's form names
// its JSON API URL and method; the request uses the session and the form's CSRF token. Without
// JavaScript the forms post to the site's own views instead.
(function () {
  "use strict";
  if (!window.talksApi) return;

  // Each action's form is swapped for its counterpart's once it succeeds.
  var OPPOSITE = { pin: "unpin", unpin: "pin", answer: "unanswer", unanswer: "answer" };

  function own(comment, selector) {
    // The comment's own element, not one of its replies'.
    return Array.prototype.find.call(comment.querySelectorAll(selector), function (element) {
      return element.closest("[data-comment]") === comment;
    });
  }

  function swap(comment, done) {
    var shown = own(comment, '[data-speaker-action="' + OPPOSITE[done] + '"]');
    own(comment, '[data-speaker-action="' + done + '"]').hidden = true;
    shown.hidden = false;
    return shown;
  }

  function unpinned(comment) {
    if (!comment.hasAttribute("data-pinned")) return;
    comment.removeAttribute("data-pinned");
    own(comment, "[data-pinned-label]").hidden = true;
    swap(comment, "unpin");
  }

  function settle(comment, action) {
    var shown = swap(comment, action);
    if (action === "pin") {
      document.querySelectorAll("[data-comment][data-pinned]").forEach(unpinned);
      comment.setAttribute("data-pinned", "");
      own(comment, "[data-pinned-label]").hidden = false;
      var list = comment.closest("[data-comment-list]");
      if (list) list.prepend(comment);
    } else if (action === "unpin") {
      comment.removeAttribute("data-pinned");
      own(comment, "[data-pinned-label]").hidden = true;
    } else {
      own(comment, "[data-answered-label]").hidden = action !== "answer";
    }
    shown.querySelector("button").focus();
  }

  function showError(comment, message) {
    var box = own(comment, "[data-speaker-error]");
    if (!box) return;
    box.textContent = message;
    box.hidden = false;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-speaker-action]");
    if (!form) return;
    event.preventDefault();
    var comment = form.closest("[data-comment]");
    var button = form.querySelector("button");
    button.disabled = true;
    window.talksApi.send(form, form.dataset.method).then(function (result) {
      button.disabled = false;
      if (!result.ok) {
        showError(comment, result.data.message || window.talksApi.say(comment, "errorFailed"));
        return;
      }
      var error = own(comment, "[data-speaker-error]");
      if (error) error.hidden = true;
      settle(comment, form.dataset.speakerAction);
    });
  });
})();
