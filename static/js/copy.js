// "Copy the citation": buttons are hidden until this runs, so a page without
// JavaScript shows only the text, which can be selected and copied by hand.
export function enhanceCopyButtons() {
  if (!navigator.clipboard) return;
  for (const button of document.querySelectorAll("button[data-copy-target]")) {
    const source = document.getElementById(button.dataset.copyTarget);
    if (!source) continue;
    const status = button.parentElement.querySelector(".app-copy-status");
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.textContent.trim());
        if (status) status.textContent = "Citation copied.";
      } catch {
        if (status) status.textContent = "Could not copy. Select the citation and copy it yourself.";
      }
    });
  }
}
