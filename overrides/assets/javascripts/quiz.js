/* Marks a chapter's self-check quiz (```quiz fences: distill_site/pages/quiz_fence.py).
   Without this script the quiz still works: each answer is in a <details>.
   Loaded on the reader's first interaction (overrides/partials/lazy-bundle.html),
   so a pick made before it arrived is marked when it starts. The words come
   from the quiz's data attributes, written in the page's Markdown. */
(function () {
  "use strict";

  function mark(question, quiz) {
    var picked = question.querySelector("input:checked");
    if (!picked) return;
    var right = picked.hasAttribute("data-right");
    question.classList.toggle("quiz-right", right);
    question.classList.toggle("quiz-wrong", !right);
    question.querySelectorAll(".quiz-choice").forEach(function (choice) {
      choice.classList.toggle("quiz-picked", choice.contains(picked));
    });
    question.querySelector(".quiz-mark").textContent =
      quiz.getAttribute(right ? "data-marked-right" : "data-marked-wrong");
  }

  function score(quiz) {
    var total = quiz.querySelectorAll(".quiz-question").length;
    var right = quiz.querySelectorAll(".quiz-question.quiz-right").length;
    var answered = quiz.querySelectorAll(".quiz-question input:checked").length;
    var line = quiz.querySelector(".quiz-score");
    line.hidden = answered === 0;
    line.textContent = quiz.getAttribute("data-score")
      .replace("{right}", right).replace("{total}", total);
  }

  document.querySelectorAll(".quiz").forEach(function (quiz) {
    quiz.querySelectorAll(".quiz-question").forEach(function (question) {
      mark(question, quiz);
    });
    score(quiz);
    quiz.addEventListener("change", function (event) {
      var question = event.target.closest(".quiz-question");
      if (!question) return;
      mark(question, quiz);
      score(quiz);
    });
  });
})();
