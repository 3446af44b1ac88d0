// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Buttons that ask before a change: <button data-confirm="...">.
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.dataset.confirm)) event.preventDefault();
    });
  });

  // Long choices (people, municipalities): <select data-searchable> (core.forms.SearchableSelect)
  // becomes a Tom Select where typing part of a name filters the list and Enter chooses.
  // The original select stays in the form (visually hidden, out of the tab order) and is what is
  // posted; Tom Select moves the <label for> onto its own combobox, so the label names the field
  // a screen reader meets, and the original is hidden from assistive technology (no twin field).
  if (window.TomSelect) {
    document.querySelectorAll("select[data-searchable]").forEach((el) => {
      const noResults = el.dataset.noResults || "";
      new window.TomSelect(el, {
        maxOptions: null, // every person can be reached by scrolling, as in the plain select
        allowEmptyOption: !el.required, // "Alle" on a filter stays a choice
        selectOnTab: true,
        closeAfterSelect: true, // the list must not cover the next field or the submit button
        // Filter as each key is typed (a few hundred options): with the default 300 ms pause, Enter
        // right after typing chose from the unfiltered list and the late refresh reopened it.
        refreshThrottle: 0,
        render: {
          no_results: () => {
            const div = document.createElement("div");
            div.className = "no-results";
            div.textContent = noResults;
            return div;
          },
        },
      });
      el.setAttribute("aria-hidden", "true");
    });
  }
});
