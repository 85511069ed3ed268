// Plain-language advice that follows the typing (interventions/admin_plain_language.py).
// The page already shows the advice for the text it loaded with; this asks again a
// moment after the curator stops typing, and puts the answer in the field's live region,
// so a screen reader says it. Advice only: it never stops the form being saved.
const PAUSE_MS = 600;

const timers = new WeakMap();
const asked = new WeakMap();

function regionFor(textBox) {
  return textBox.closest(".plain-language-field")?.querySelector(".plain-language");
}

function show(region, html) {
  // Only a change is written, so the screen reader is not told the same thing twice.
  const next = document.createElement("div");
  next.innerHTML = html;
  if (next.textContent.trim() !== region.textContent.trim()) {
    region.replaceChildren(...next.childNodes);
  }
}

function sayError(message) {
  const paragraph = document.createElement("p");
  paragraph.className = "plain-language-hard";
  paragraph.textContent = message;
  return paragraph.outerHTML;
}

async function check(textBox) {
  const region = regionFor(textBox);
  if (!region) return;
  const token = textBox.form?.querySelector("input[name=csrfmiddlewaretoken]")?.value;
  const body = new FormData();
  body.append("text", textBox.value);
  const request = {};
  asked.set(textBox, request);
  try {
    const response = await fetch(textBox.dataset.plainLanguageUrl, {
      method: "POST",
      body,
      headers: { "X-CSRFToken": token || "" },
      credentials: "same-origin",
    });
    if (asked.get(textBox) !== request) return; // newer typing has asked again
    const answer = await response.json();
    show(region, response.ok ? answer.html : sayError(answer.error));
  } catch {
    // Offline or signed out: the advice stays as it was; saving is unaffected.
  }
}

// A row added with "Add another" is a copy of the inline's template row: Django numbers
// its ids, but not the ids its text boxes are described by.
document.addEventListener("formset:added", (event) => {
  for (const textBox of event.target.querySelectorAll("[data-plain-language-url]")) {
    const index = textBox.id.match(/-(\d+)-/)?.[1];
    const ids = textBox.getAttribute("aria-describedby");
    if (index !== undefined && ids) {
      textBox.setAttribute("aria-describedby", ids.replaceAll("__prefix__", index));
    }
  }
});

document.addEventListener("input", (event) => {
  const textBox = event.target;
  if (!textBox.dataset?.plainLanguageUrl) return;
  clearTimeout(timers.get(textBox));
  timers.set(
    textBox,
    setTimeout(() => check(textBox), PAUSE_MS),
  );
});
