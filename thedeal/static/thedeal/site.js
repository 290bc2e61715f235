// Progressive enhancement only: every page works without this file.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// Filters fold away after a search so that a phone shows the results first. On a wider screen
// they sit beside the results, so there they open again (GOV.UK's tablet breakpoint, 641px).
// Without JavaScript they stay one tap away on every screen.
if (window.matchMedia("(min-width: 40.0625em)").matches) {
  for (const details of document.querySelectorAll("details[data-open-from-tablet]")) {
    details.open = true;
  }
}
