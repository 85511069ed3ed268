// Starts GOV.UK Frontend's components. Loaded as a module, so it only runs in
// browsers that GOV.UK Frontend supports; the pages work fully without it.
import { initAll } from "../govuk/all.mjs";
import { enhanceCopyButtons } from "./copy.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
enhanceCopyButtons();
