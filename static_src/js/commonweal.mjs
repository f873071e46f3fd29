// Commonweal's page script (an ES module, loaded from base.html).
//
// - starts GOV.UK Frontend's components (skip link, service navigation menu, notification banners...);
// - shows short status messages ("toasts") that htmx responses ask for with the header
//   HX-Trigger: {"commonweal:toast": {"message": "Saved", "level": "success"}}
//   (see commonweal/core/htmx.py, trigger_toast) in the live region #cw-toasts;
// - re-starts GOV.UK Frontend components inside content htmx has swapped in.
import { createAll, initAll, Button, Checkboxes, ErrorSummary, NotificationBanner, Radios } from "../vendor/govuk-frontend/govuk-frontend.min.js";

const TOAST_SECONDS = 10;
const MAX_TOASTS = 3;
const LEVELS = new Set(["success", "info", "error"]);

initAll();

function toastRegion() {
  return document.getElementById("cw-toasts");
}

export function showToast(message, level = "success") {
  const region = toastRegion();
  if (!region || !message) return null;
  const toast = document.createElement("div");
  toast.className = `cw-toast cw-toast--${LEVELS.has(level) ? level : "info"}`;
  const text = document.createElement("p");
  text.className = "cw-toast__message";
  text.textContent = String(message);
  const close = document.createElement("button");
  close.type = "button";
  close.className = "cw-toast__close";
  close.textContent = "Close";
  close.setAttribute("aria-label", `Close message: ${text.textContent}`);
  close.addEventListener("click", () => toast.remove());
  toast.append(text, close);
  region.append(toast);
  while (region.children.length > MAX_TOASTS) region.firstElementChild.remove();

  // The message stays while the pointer or keyboard focus is on it, so nobody loses it mid-read.
  let timer;
  const start = () => {
    timer = window.setTimeout(() => toast.remove(), TOAST_SECONDS * 1000);
  };
  const stop = () => window.clearTimeout(timer);
  toast.addEventListener("mouseenter", stop);
  toast.addEventListener("mouseleave", start);
  toast.addEventListener("focusin", stop);
  toast.addEventListener("focusout", start);
  start();
  return toast;
}

document.addEventListener("commonweal:toast", (event) => {
  const detail = event.detail || {};
  const message = typeof detail === "string" ? detail : detail.message ?? detail.value;
  showToast(message, detail.level);
});

// Components inside content that htmx swapped in need starting too.
document.addEventListener("htmx:afterSettle", (event) => {
  const scope = event.detail && event.detail.elt;
  if (!(scope instanceof Element)) return;
  for (const Component of [Button, Checkboxes, ErrorSummary, NotificationBanner, Radios]) {
    createAll(Component, undefined, { scope });
  }
});

document.documentElement.dataset.commonwealReady = "true";
