// "Select all wards" and "Clear all wards" on the initiative form. Without JavaScript the buttons stay
// hidden and each ward is ticked by hand.
for (const fieldset of document.querySelectorAll("[data-cw-ward-choices]")) {
  const shortcuts = fieldset.querySelector("[data-cw-ward-shortcuts]");
  if (!shortcuts) continue;
  shortcuts.hidden = false;
  for (const button of shortcuts.querySelectorAll("[data-cw-wards]")) {
    button.addEventListener("click", () => {
      const checked = button.dataset.cwWards === "all";
      for (const box of fieldset.querySelectorAll("input[type=checkbox]")) box.checked = checked;
    });
  }
}
