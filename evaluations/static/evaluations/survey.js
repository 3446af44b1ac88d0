// Respondent page: a follow-up question ("Ja - uddyb gerne") and the text of "Andet - uddyb" are
// shown only while their answer is chosen. Without JavaScript every follow-up stays visible and says when to answer it; the
// server ignores a follow-up whose answer was not chosen.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-shown-for]").forEach((box) => {
    const trigger = document.getElementById(box.dataset.shownFor);
    if (!trigger) return;
    const group = document.querySelectorAll(`input[name="${trigger.name}"]`);
    const update = () => {
      box.hidden = !trigger.checked;
    };
    group.forEach((input) => input.addEventListener("change", update));
    update();
  });
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
});
