// Listing pages (directory): copy a link or a code snippet, share through the device's own share
// sheet, and print. Every control here starts hidden and is shown only once it can work, so without
// JavaScript the page still offers the link in a read-only field, the email link and the print view.
//
//   <button data-cw-copy="field-id" data-cw-copied="Link copied" hidden>Copy link</button>
//   <button data-cw-share data-cw-share-title="..." data-cw-share-url="..." hidden>Share…</button>
//   <button data-cw-print hidden>Print this page</button>

function announce(message, level = "success") {
  // commonweal.mjs shows these as toasts in the live region #cw-toasts.
  document.dispatchEvent(new CustomEvent("commonweal:toast", { detail: { message, level } }));
}

async function copyText(field) {
  const text = field.value ?? field.textContent ?? "";
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  // Older browsers and plain-http test servers: select the field and use the legacy command.
  field.focus();
  field.select();
  if (!document.execCommand("copy")) throw new Error("copy refused");
}

for (const button of document.querySelectorAll("[data-cw-copy]")) {
  const field = document.getElementById(button.dataset.cwCopy || "");
  if (!field) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await copyText(field);
      button.dataset.cwCopyDone = "true";
      announce(button.dataset.cwCopied || "Copied");
    } catch {
      field.focus();
      field.select();
      announce("Could not copy: the text is selected, so press Ctrl+C (or Cmd+C) to copy it", "error");
    }
    button.focus();
  });
}

// Selecting the whole link when someone focuses the read-only field makes copying by hand easy.
for (const field of document.querySelectorAll(".cw-share__link, .cw-widget__snippet")) {
  field.addEventListener("focus", () => field.select());
}

for (const button of document.querySelectorAll("[data-cw-share]")) {
  const data = { title: button.dataset.cwShareTitle || document.title, url: button.dataset.cwShareUrl || location.href };
  if (!navigator.share || (navigator.canShare && !navigator.canShare(data))) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.share(data);
    } catch {
      // Cancelled by the person sharing: nothing to say.
    }
  });
}

for (const button of document.querySelectorAll("[data-cw-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
