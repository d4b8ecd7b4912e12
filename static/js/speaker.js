// Pin / Unpin and Mark answered / Not answered without a page reload: each button names its
// action and JSON API URL; the request uses the session and its form's CSRF token. Without
// JavaScript the buttons post to the site's own views instead (their formaction).
(function () {
  "use strict";
  if (!window.talksApi) return;

  // What each action's button becomes once it succeeds, the API method of each, and its label.
  var OPPOSITE = { pin: "unpin", unpin: "pin", answer: "unanswer", unanswer: "answer" };
  var METHOD = { pin: "PUT", unpin: "DELETE", answer: "PUT", unanswer: "DELETE" };
  var LABEL = { pin: "labelPin", unpin: "labelUnpin", answer: "labelAnswer", unanswer: "labelUnanswer" };

  function own(comment, selector) {
    // The comment's own element, not one of its replies'.
    return Array.prototype.find.call(comment.querySelectorAll(selector), function (element) {
      return element.closest("[data-comment]") === comment;
    });
  }

  function turn(button) {
    // The button now does the opposite: it posts to its twin's path, with the other label (the
    // page's words, in its language); the hidden words naming the comment stay.
    var action = OPPOSITE[button.dataset.speakerAction];
    var twin = button.dataset.twin;
    button.dataset.twin = button.getAttribute("formaction");
    button.setAttribute("formaction", twin);
    button.dataset.speakerAction = action;
    button.firstChild.nodeValue = window.talksApi.say(button, LABEL[action]);
  }

  function unpinned(comment) {
    if (!comment.hasAttribute("data-pinned")) return;
    comment.removeAttribute("data-pinned");
    own(comment, "[data-pinned-label]").hidden = true;
    var unpin = own(comment, '[data-speaker-action="unpin"]');
    if (unpin) turn(unpin);
  }

  function settle(comment, button) {
    var action = button.dataset.speakerAction;
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
    turn(button);
    button.focus();
  }

  function showError(comment, message) {
    var box = own(comment, "[data-speaker-error]");
    if (!box) return;
    box.textContent = message;
    box.hidden = false;
  }

  document.addEventListener("submit", function (event) {
    // A browser that does not say which button was pressed posts the form to its formaction.
    var button = event.submitter;
    if (!button || !button.hasAttribute("data-speaker-action")) return;
    event.preventDefault();
    var comment = button.closest("[data-comment]");
    button.disabled = true;
    window.talksApi.send(button, METHOD[button.dataset.speakerAction]).then(function (result) {
      button.disabled = false;
      if (!result.ok) {
        showError(comment, result.data.message || window.talksApi.say(comment, "errorFailed"));
        return;
      }
      var error = own(comment, "[data-speaker-error]");
      if (error) error.hidden = true;
      settle(comment, button);
    });
  });
})();
