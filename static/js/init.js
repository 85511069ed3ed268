// Starts GOV.UK Frontend's components. Loaded as a module, so it only runs in
// browsers that GOV.UK Frontend supports; the pages work fully without it.
// GOV.UK Frontend's one-file minified module: one request, under a hashed name
// (the static files storage rewrites this import), cached for good.
import { initAll } from "../govuk/govuk-frontend.min.js";
import { enhanceCopyButtons } from "./copy.js";
import { enhanceFilterToggles } from "./filter-toggle.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
enhanceCopyButtons();
enhanceFilterToggles();
