// Gatherer mode: a story's draft lives on the phone until the server has it.
//
// - Every change is saved to localStorage, so a reload or a lost connection loses nothing.
// - "Send the story" posts the form with fetch (Accept: application/json). When the phone is offline,
//   or the request fails on the way, the draft goes into an outbox in localStorage and the form starts a
//   new draft. The outbox is sent when the connection returns (the "online" event) and on every visit.
// - Each draft carries its client_uuid (made by the server when the form is drawn, or here): sending the
//   same draft again makes no second story; the server answers "already_received".
// Photos and recordings cannot be kept in localStorage: they go only with a send made while online.

const form = document.querySelector("form[data-cw-story-draft]");
const status = document.querySelector("[data-cw-draft-status]");
const OUTBOX = "commonweal:stories:outbox";
const SKIP = new Set(["csrfmiddlewaretoken"]);

function draftKey() {
  return `commonweal:stories:draft:${form.dataset.cwStoryDraft}`;
}

function read(key, fallback) {
  try {
    return JSON.parse(window.localStorage.getItem(key)) ?? fallback;
  } catch {
    return fallback;
  }
}

function write(key, value) {
  try {
    window.localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    say("This phone cannot keep a draft (its storage is full or switched off): send the story while online.");
    return false;
  }
}

function newUuid() {
  if (window.crypto?.randomUUID) return window.crypto.randomUUID();
  const bytes = window.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function say(message, link) {
  if (!status) return;
  const line = document.createElement("p");
  line.className = "govuk-body";
  line.textContent = message;
  if (link) {
    line.append(" Private link for the teller: ");
    const anchor = document.createElement("a");
    anchor.className = "govuk-link";
    anchor.href = link;
    anchor.textContent = link;
    anchor.dataset.cwWithdrawLink = "";
    line.append(anchor);
  }
  status.prepend(line);
}

function fields() {
  const pairs = [];
  for (const [name, value] of new FormData(form).entries()) {
    if (SKIP.has(name) || typeof value !== "string") continue;
    pairs.push([name, value]);
  }
  return pairs;
}

function saveDraft() {
  write(draftKey(), { pairs: fields(), savedAt: new Date().toISOString() });
}

function restore(pairs) {
  const values = new Map();
  for (const [name, value] of pairs) values.set(name, [...(values.get(name) || []), value]);
  for (const control of form.elements) {
    if (!control.name || SKIP.has(control.name) || control.type === "file") continue;
    const saved = values.get(control.name) || [];
    if (control.type === "checkbox" || control.type === "radio") {
      control.checked = saved.includes(control.value);
    } else if (saved.length) {
      control.value = saved[0];
    }
  }
  form.querySelectorAll("[data-cw-triad-value]").forEach((input) => input.dispatchEvent(new Event("input")));
}

function startNewDraft() {
  form.reset();
  for (const control of form.elements) {
    if (control.type === "checkbox" || control.type === "radio") control.checked = false;
    else if (control.type === "file") control.value = "";
    else if (control.type === "range") control.value = "50";
    else if (control.name && !SKIP.has(control.name) && control.type !== "hidden") control.value = "";
  }
  form.elements.client_uuid.value = newUuid();
  window.localStorage.removeItem(draftKey());
  saveDraft();
}

function csrfToken() {
  return form.elements.csrfmiddlewaretoken?.value || document.body.dataset.csrfToken || "";
}

// Send one draft. Returns "sent", "invalid", "refused" or "offline".
async function send(body) {
  let response;
  try {
    response = await fetch(form.action, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
    });
  } catch {
    return { outcome: "offline" };
  }
  let data = {};
  try {
    data = await response.json();
  } catch {
    return { outcome: response.ok ? "offline" : "refused" };
  }
  if (response.ok) return { outcome: "sent", data };
  if (response.status === 400) return { outcome: "invalid", data };
  return { outcome: "refused", data };
}

function bodyOf(pairs) {
  const body = new FormData();
  for (const [name, value] of pairs) body.append(name, value);
  return body;
}

function queue(pairs) {
  const outbox = read(OUTBOX, []);
  const uuid = pairs.find(([name]) => name === "client_uuid")?.[1];
  if (!outbox.some((item) => item.uuid === uuid)) {
    outbox.push({ uuid, action: form.action, pairs, queuedAt: new Date().toISOString() });
  }
  return write(OUTBOX, outbox);
}

let flushing = false;

async function flush() {
  if (flushing || !navigator.onLine) return;
  flushing = true;
  try {
    let outbox = read(OUTBOX, []);
    for (const item of [...outbox]) {
      if (item.action !== form.action) continue;
      const result = await send(bodyOf(item.pairs));
      if (result.outcome === "offline") break;
      if (result.outcome === "sent") {
        outbox = outbox.filter((other) => other.uuid !== item.uuid);
        write(OUTBOX, outbox);
        const title = item.pairs.find(([name]) => name === "title")?.[1] || "A story";
        say(
          result.data.status === "already_received"
            ? `“${title}” had already arrived.`
            : `“${title}” was saved on this phone and has now been sent.`,
          result.data.withdraw_url,
        );
      } else if (result.outcome === "invalid") {
        outbox = outbox.filter((other) => other.uuid !== item.uuid);
        write(OUTBOX, outbox);
        restore(item.pairs);
        saveDraft();
        say("A saved story needs a change before it can be sent: it is back in the form. Check it and send it again.");
      } else {
        say(result.data?.reason || "The saved stories could not be sent: sign in again, then reload this page.");
        break;
      }
    }
  } finally {
    flushing = false;
    showWaiting();
  }
}

function showWaiting() {
  const waiting = read(OUTBOX, []).filter((item) => item.action === form.action).length;
  form.dataset.cwOutbox = String(waiting);
  if (waiting) {
    say(`${waiting} ${waiting === 1 ? "story is" : "stories are"} saved on this phone, waiting to be sent.`);
  }
}

if (form && window.localStorage) {
  const draft = read(draftKey(), null);
  const hasErrors = document.querySelector(".govuk-error-summary");
  if (draft?.pairs?.length && !hasErrors) restore(draft.pairs);
  if (!form.elements.client_uuid.value) form.elements.client_uuid.value = newUuid();
  saveDraft();
  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    saveDraft();
    const pairs = fields();
    const withFiles = [...form.querySelectorAll("input[type=file]")].some((input) => input.files.length);
    if (navigator.onLine) {
      const result = await send(new FormData(form));
      if (result.outcome === "sent") {
        const title = form.elements.title.value || "The story";
        say(
          result.data.status === "already_received" ? `“${title}” had already arrived.` : `“${title}” has been sent. Thank you.`,
          result.data.withdraw_url,
        );
        startNewDraft();
        return;
      }
      if (result.outcome === "invalid" || result.outcome === "refused") {
        // Let the server draw the form with its error messages; the draft stays on the phone.
        HTMLFormElement.prototype.submit.call(form);
        return;
      }
    }
    if (queue(pairs)) {
      say(
        withFiles
          ? "No connection: the story is saved on this phone and will be sent when you are back online, without its photo or recording."
          : "No connection: the story is saved on this phone and will be sent when you are back online.",
      );
      startNewDraft();
      showWaiting();
    }
  });

  window.addEventListener("online", flush);
  window.addEventListener("offline", () => say("This phone is offline. Keep going: stories are saved here."));
  flush();
}
