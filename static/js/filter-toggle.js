// "Show filters" on a phone. Without JavaScript it is a link to #filters, which opens
// the panel with CSS :target. Here it becomes a button that opens and closes the panel
// in place and says which it will do next.
const OPEN = "app-filter-panel--open";

export function enhanceFilterToggles() {
  for (const link of document.querySelectorAll('[data-module="app-filter-toggle"]')) {
    const panel = document.getElementById(link.getAttribute("aria-controls"));
    if (!panel) continue;

    const button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.setAttribute("aria-controls", panel.id);
    button.append(...link.childNodes);
    link.replaceWith(button);

    const action = button.querySelector(".app-filter-toggle__action");
    const show = (open) => {
      panel.classList.toggle(OPEN, open);
      button.setAttribute("aria-expanded", String(open));
      if (action) action.textContent = open ? "Hide" : "Show";
    };
    show(window.location.hash === `#${panel.id}`);
    button.addEventListener("click", () => show(!panel.classList.contains(OPEN)));
  }
}
