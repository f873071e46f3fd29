// Gatherer mode: a story's draft lives on the phone until the server has it.
//
// - Every change is saved to localStorage, so a reload or a lost connection loses nothing.
// - "Send the story" posts the form with fetch (Accept: application/json). When the phone is offline,
//   or the request fails on the way, the draft goes into an outbox in localStorage and the form starts a
//   new draft. The outbox is sent when the connection returns (the "online" event) and on every visit.
// - Each draft carries its client_uuid (made by the server when the form is drawn, or here): sending the
//   same draft again makes no second story; the server answers "already_received".
// - A queued draft the server cannot take (it needs a change, or its collection has closed for good)
//   stays in the outbox with the server's reason, listed under the form, until the gatherer puts it
//   back in the form, tries again or removes it. No draft overwrites another.
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

// Send one draft. Returns "sent", "invalid" (needs a change), "undeliverable" (the collection is
// closed or gone), "refused" (signed out or not a gatherer) or "offline".
async function send(body, action = form.action) {
  let response;
  try {
    response = await fetch(action, {
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
  if (data.status === "closed" || data.status === "not_found") return { outcome: "undeliverable", data };
  return { outcome: "refused", data };
}

// The reason a draft that reached the server was not taken, in words for the gatherer.
function problemOf(result) {
  if (result.outcome === "undeliverable") return result.data.reason || "Its collection no longer takes stories.";
  const errors = Object.values(result.data?.errors || {}).flat();
  return errors.length ? `It needs a change: ${errors.join("; ")}.` : "It needs a change before it can be sent.";
}

function bodyOf(pairs) {
  const body = new FormData();
  for (const [name, value] of pairs) body.append(name, value);
  return body;
}

function queue(pairs, problem) {
  const outbox = read(OUTBOX, []);
  const uuid = pairs.find(([name]) => name === "client_uuid")?.[1];
  if (!outbox.some((item) => item.uuid === uuid)) {
    const item = { uuid, action: form.action, pairs, queuedAt: new Date().toISOString() };
    if (problem) item.problem = problem;
    outbox.push(item);
  }
  return write(OUTBOX, outbox);
}

let flushing = false;

function titleOf(item) {
  return item.pairs.find(([name]) => name === "title")?.[1] || "A story without a title";
}

function keep(outbox, item, problem) {
  const kept = outbox.map((other) => (other.uuid === item.uuid ? { ...other, problem } : other));
  write(OUTBOX, kept);
  return kept;
}

async function flush() {
  if (flushing || !navigator.onLine) return;
  flushing = true;
  try {
    let outbox = read(OUTBOX, []);
    for (const item of [...outbox]) {
      if (item.problem) continue; // waits for the gatherer: put back in the form, try again or remove
      const result = await send(bodyOf(item.pairs), item.action || form.action);
      if (result.outcome === "offline") break;
      if (result.outcome === "sent") {
        outbox = outbox.filter((other) => other.uuid !== item.uuid);
        write(OUTBOX, outbox);
        const title = titleOf(item);
        say(
          result.data.status === "already_received"
            ? `“${title}” had already arrived.`
            : `“${title}” was saved on this phone and has now been sent.`,
          result.data.withdraw_url,
        );
      } else if (result.outcome === "invalid" || result.outcome === "undeliverable") {
        outbox = keep(outbox, item, problemOf(result));
        say(`“${titleOf(item)}” could not be sent and is still on this phone: see “Stories that could not be sent”.`);
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

function formIsEmpty() {
  return !form.elements.title.value.trim() && !form.elements.text.value.trim();
}

function button(label, hidden, onClick) {
  const control = document.createElement("button");
  control.type = "button";
  control.className = "govuk-button govuk-button--secondary govuk-!-margin-bottom-0 govuk-!-margin-right-2";
  control.textContent = label;
  const more = document.createElement("span");
  more.className = "govuk-visually-hidden";
  more.textContent = `: ${hidden}`;
  control.append(more);
  control.addEventListener("click", onClick);
  return control;
}

function drop(uuid) {
  write(OUTBOX, read(OUTBOX, []).filter((item) => item.uuid !== uuid));
}

// The drafts the server would not take, each with its reason and what the gatherer can do.
function showStuck() {
  let panel = document.querySelector("[data-cw-outbox-stuck]");
  const stuck = read(OUTBOX, []).filter((item) => item.problem);
  if (!stuck.length) {
    panel?.remove();
    return;
  }
  if (!panel) {
    panel = document.createElement("section");
    panel.dataset.cwOutboxStuck = "";
    panel.className = "govuk-!-margin-bottom-6";
    panel.setAttribute("aria-labelledby", "cw-outbox-stuck-heading");
    (status || form).after(panel);
  }
  panel.replaceChildren();
  const heading = document.createElement("h2");
  heading.id = "cw-outbox-stuck-heading";
  heading.className = "govuk-heading-m";
  heading.textContent = `Stories that could not be sent (${stuck.length})`;
  const list = document.createElement("ul");
  list.className = "govuk-list";
  for (const item of stuck) {
    const title = titleOf(item);
    const entry = document.createElement("li");
    entry.dataset.cwOutboxItem = item.uuid;
    entry.className = "govuk-!-margin-bottom-4";
    const name = document.createElement("p");
    name.className = "govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1";
    name.textContent = title;
    const reason = document.createElement("p");
    reason.className = "govuk-body";
    reason.dataset.cwOutboxReason = "";
    reason.textContent = item.problem;
    entry.append(name, reason);
    if (item.action === form.action) {
      entry.append(
        button("Put back in the form", title, () => {
          if (!formIsEmpty()) {
            say("Send or clear the story in the form first, then put this one back.");
            return;
          }
          restore(item.pairs);
          saveDraft();
          drop(item.uuid);
          say(`“${title}” is back in the form: check it and send it again.`);
          showWaiting();
        }),
      );
    }
    entry.append(
      button("Try again", title, () => {
        const outbox = read(OUTBOX, []).map((other) => {
          if (other.uuid !== item.uuid) return other;
          const { problem: _problem, ...rest } = other;
          return rest;
        });
        write(OUTBOX, outbox);
        flush();
      }),
      button("Remove from this phone", title, () => {
        if (window.confirm(`Remove “${title}” from this phone? It has not reached the server and cannot be got back.`)) {
          drop(item.uuid);
          say(`“${title}” was removed from this phone.`);
          showWaiting();
        }
      }),
    );
    list.append(entry);
  }
  panel.append(heading, list);
}

function showWaiting() {
  const outbox = read(OUTBOX, []);
  const waiting = outbox.filter((item) => !item.problem).length;
  form.dataset.cwOutbox = String(waiting);
  if (waiting) {
    say(`${waiting} ${waiting === 1 ? "story is" : "stories are"} saved on this phone, waiting to be sent.`);
  }
  showStuck();
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
      if (result.outcome === "undeliverable") {
        // The collection is closed or gone: keep the story on the phone with the reason.
        if (queue(pairs, problemOf(result))) {
          say(`“${form.elements.title.value || "The story"}” could not be sent: ${problemOf(result)}`);
          startNewDraft();
          showWaiting();
        }
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

  showStuck();
  window.addEventListener("online", flush);
  window.addEventListener("offline", () => say("This phone is offline. Keep going: stories are saved here."));
  flush();
}
