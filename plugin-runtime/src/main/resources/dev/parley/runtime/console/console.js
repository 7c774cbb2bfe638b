// Parley console: one page over the admin API. Plain JavaScript, no build step, no dependency.
// Every value from the server is put into the page as text (never as HTML), so data cannot inject markup.
"use strict";

// ---- small helpers ------------------------------------------------------------------------------

/** Creates an element: h("a", {href: "/x", class: "y"}, "text", otherNode). */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.substring(2), v);
    else if (k === "class") el.className = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const main = () => document.getElementById("main");

/** Work in progress (an API call, a re-render): main says aria-busy meanwhile, for screen readers and tests. */
let pending = 0;
function busy(on) {
  pending = Math.max(0, pending + (on ? 1 : -1));
  if (pending) main().setAttribute("aria-busy", "true"); else main().removeAttribute("aria-busy");
}
const enc = encodeURIComponent;

/**
 * A URL from the server that may go into href/src: absolute http(s), or a path on this origin ("/x", not "//x").
 * Anything else (javascript:, data:, relative) gives null, and the caller shows the text without a link.
 */
function safeUrl(u) {
  if (typeof u !== "string" || !u) return null;
  try {
    if (u.startsWith("/")) {
      // "//host", a backslash for the second slash, or "/<tab>/host" leave this origin: the parsed URL must stay on it
      if (u.startsWith("//") || u.startsWith("/\\")) return null;
      return new URL(u, location.origin).origin === location.origin ? u : null;
    }
    const url = new URL(u);
    return url.protocol === "http:" || url.protocol === "https:" ? u : null;
  } catch (e) {
    return null;
  }
}

function when(at) {
  if (!at) return "";
  const d = new Date(at);
  return isNaN(d) ? String(at) : d.toLocaleString();
}

/** Shows a short message in the notice bar (errors in red), read out by screen readers. */
function notify(text, isError) {
  const n = document.getElementById("notice");
  n.textContent = text;
  n.className = "notice" + (isError ? " error" : "");
  n.hidden = false;
}

function clearNotice() {
  const n = document.getElementById("notice");
  n.hidden = true;
  n.textContent = "";
}

/**
 * Calls the admin API. The browser sends the admin credentials it was given for the console (same origin).
 * Resolves to {status, ok, body} where body is parsed JSON when the answer is JSON, else text.
 */
async function api(method, path, body, contentType) {
  const init = { method, credentials: "same-origin", headers: { "Accept": "application/json" } };
  if (body !== undefined && body !== null) {
    init.headers["Content-Type"] = contentType || "application/json";
    init.body = typeof body === "string" ? body : JSON.stringify(body);
  }
  // Against this page's origin: a page opened as http://user:password@host/... would otherwise hand its
  // credentials to every relative URL, which fetch refuses.
  const r = await fetch(new URL(path, location.origin), init);
  const text = await r.text();
  let parsed = text;
  if ((r.headers.get("Content-Type") || "").includes("json") && text) {
    try { parsed = JSON.parse(text); } catch (e) { parsed = text; }
  }
  return { status: r.status, ok: r.ok, body: parsed };
}

/** The reason an API answer gives for a refusal, in one line. */
function reason(r) {
  if (r.body && typeof r.body === "object" && r.body.error) return r.body.error;
  if (r.body && typeof r.body === "object" && r.body.detail) return r.body.detail;
  return "HTTP " + r.status + (typeof r.body === "string" && r.body ? ": " + r.body.substring(0, 200) : "");
}

/** Loads JSON or throws with the API's reason (shown in place of the view). */
async function load(path) {
  const r = await api("GET", path);
  if (!r.ok) throw new Error(path + ": " + reason(r));
  return r.body;
}

/** A form's submit handler that marks the page busy while it runs. */
function submitting(handler) {
  return async (ev) => {
    ev.preventDefault();
    busy(true);
    try { await handler(ev); } finally { busy(false); }
  };
}

/** A button that runs an API action, then notifies and re-renders the current view. */
function action(label, run, opts) {
  opts = opts || {};
  return h("button", {
    type: "button", class: opts.class, "aria-label": opts.aria, disabled: opts.disabled, "data-action": opts.name,
    onclick: async (ev) => {
      const b = ev.currentTarget;
      b.disabled = true;
      busy(true);
      try {
        const r = await run();
        if (r && r.ok === false) notify(label + " failed: " + reason(r), true);
        else notify(opts.done ? opts.done(r) : label + ": done");
        if (opts.rerender !== false) await render(false);
      } catch (e) {
        notify(label + " failed: " + e.message, true);
      } finally {
        b.disabled = false;
        busy(false);
      }
    }
  }, label);
}

function copyField(label, value) {
  const input = h("input", { type: "text", readonly: true, value: value, "aria-label": label });
  return h("div", { class: "copy" }, h("span", { class: "badge" }, label), input,
    h("button", {
      type: "button", "aria-label": "Copy " + label,
      onclick: async () => {
        input.select();
        try { await navigator.clipboard.writeText(value); } catch (e) { document.execCommand("copy"); }
        notify("Copied " + label);
      }
    }, "Copy"));
}

function stateDot(state, why) {
  return h("span", { class: "state", title: why || state, "data-state": state },
    h("span", { class: "dot " + state, "aria-hidden": "true" }), state);
}

function table(headers, rows, empty) {
  if (!rows.length) return h("p", { class: "muted" }, empty || "Nothing yet.");
  return h("table", {}, h("thead", {}, h("tr", {}, headers.map(x => h("th", { scope: "col" }, x)))),
    h("tbody", {}, rows));
}

function link(href, text) {
  return h("a", { href, "data-link": true }, text);
}

function errorsList(errors) {
  if (!errors || !errors.length) return null;
  return h("ul", { class: "errors", "aria-label": "Validation errors" },
    errors.map(e => h("li", {}, h("code", {}, e.location || "definition"), " — ", e.message,
      e.code ? h("span", { class: "muted" }, " (" + e.code + ")") : null)));
}

// ---- routing ------------------------------------------------------------------------------------

const views = {
  channels: channelsView, chatbots: chatbotsView, sessions: sessionsView,
  knowledge: knowledgeView, doctor: doctorView, sandbox: sandboxView
};

function route() {
  const parts = location.pathname.replace(/^\/console\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  const section = views[parts[0]] ? parts[0] : "channels";
  return { section, id: parts[1] || null };
}

async function render(resetNotice) {
  busy(true);
  try {
    await show(resetNotice);
  } finally {
    busy(false);
  }
}

async function show(resetNotice) {
  const r = route();
  if (resetNotice) clearNotice();
  document.querySelectorAll("nav a[data-section]").forEach(a =>
    a.setAttribute("aria-current", a.dataset.section === r.section ? "page" : "false"));
  const target = main();
  try {
    const content = await views[r.section](r.id);
    target.replaceChildren(...[].concat(content).flat(Infinity).filter(x => x !== null && x !== undefined && x !== false));
  } catch (e) {
    target.replaceChildren(h("h1", {}, "Something went wrong"), h("p", { class: "errors" }, e.message));
  }
  document.title = (target.querySelector("h1") || {}).textContent + " · Parley console";
}

function go(path) {
  history.pushState({}, "", path);
  render(true).then(() => main().focus());
}

document.addEventListener("click", (ev) => {
  const a = ev.target.closest("a[data-link]");
  if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey || a.target) return;
  ev.preventDefault();
  go(a.getAttribute("href"));
});
window.addEventListener("popstate", () => render(true));
document.addEventListener("DOMContentLoaded", () => render(true));

// ---- channels -----------------------------------------------------------------------------------

async function channelsView(id) {
  if (id) return channelView(id);
  const list = await load("/api/connections");
  return [h("h1", {}, "Channels"),
    h("p", { class: "muted" }, "Every connection, its state (hover for the reason), and what you can do with it."),
    table(["State", "Connection", "Type", "Answers with", "Actions"], list.map(c => h("tr", { "data-connection": c.id },
      h("td", {}, stateDot(c.state, c.stateReason)),
      h("td", {}, link("/console/channels/" + enc(c.id), c.id),
        c.settings && c.settings["base-url"] === "sandbox" ? [" ", h("span", { class: "badge" }, "sandbox")] : null),
      h("td", {}, c.type),
      h("td", {}, c.inboundAgent || h("span", { class: "muted" }, "—")),
      h("td", { class: "actions" }, connectionActions(c)))), "No connections are configured.")];
}

function connectionActions(c) {
  const base = "/api/connections/" + enc(c.id);
  return [
    action("Start", () => api("POST", base + "/start"), { aria: "Start " + c.id, disabled: c.state === "RUNNING" }),
    action("Stop", () => api("POST", base + "/stop"), { aria: "Stop " + c.id, disabled: c.state === "STOPPED" }),
    action("Verify", () => api("POST", base + "/verify"), {
      aria: "Verify " + c.id,
      done: r => "Verify " + c.id + ": " + (r.body && r.body.ok ? "OK" : "failed") + (r.body && r.body.detail ? " — " + r.body.detail : "")
    }),
    link("/console/channels/" + enc(c.id) + "#logs", "Logs")
  ];
}

async function channelView(id) {
  const c = await load("/api/connections/" + enc(id));
  const logs = await load("/api/connections/" + enc(id) + "/logs?limit=100");
  const base = "/api/connections/" + enc(id);
  const settings = Object.entries(c.settings || {});
  const setup = c.setup;
  return [
    h("p", {}, link("/console/channels", "← Channels")),
    h("h1", {}, "Connection " + c.id),
    h("div", { class: "card" },
      h("p", {}, stateDot(c.state, c.stateReason), " since ", when(c.since), " · ", h("code", {}, c.type),
        c.inboundAgent ? " · answered by agent " : null, c.inboundAgent ? h("code", {}, c.inboundAgent) : null),
      c.stateReason ? h("p", { class: c.state === "ERROR" ? "errors" : "muted" }, c.stateReason) : null,
      h("div", {}, connectionActions(c).slice(0, 3),
        action("Check setup", () => api("GET", base + "/setup"), { done: r => "Setup: " + setupLine(r.body) }),
        action("Register setup", () => api("POST", base + "/setup")),
        c.knowledge ? action("Sync knowledge", () => api("POST", base + "/sync")) : null)),
    h("h2", {}, "Webhook URLs"),
    Object.keys(c.webhookUrls || {}).length
      ? h("div", { class: "card" }, Object.entries(c.webhookUrls).map(([k, v]) => copyField(k, v)),
        h("p", { class: "muted" }, "Give these to the provider (Parley registers them itself where the provider allows)."))
      : h("p", { class: "muted" }, "This connection receives no webhooks."),
    h("h2", {}, "Provider setup"),
    h("div", { class: "card" }, setup
      ? [h("p", {}, setup.complete ? "Complete" : "Incomplete", h("span", { class: "muted" }, " (checked " + when(setup.checkedAt) + ")")),
        h("ul", {}, (setup.items || []).map(i => h("li", {}, i)))]
      : h("p", { class: "muted" }, "Not checked yet: use Check setup.")),
    h("h2", {}, "Settings"),
    table(["Setting", "Value"], settings.map(([k, v]) => h("tr", {}, h("td", {}, h("code", {}, k)), h("td", {}, h("code", {}, v)))),
      "No settings."),
    h("p", { class: "muted" }, "Secrets show as ****; they are never sent to the browser."),
    h("h2", { id: "logs" }, "Logs"),
    table(["Time", "Level", "Message"], logs.map(l => h("tr", {}, h("td", { class: "mono" }, when(l.at)),
      h("td", {}, h("span", { class: "badge sev-" + (l.level === "WARN" ? "WARNING" : l.level) }, l.level)),
      h("td", {}, l.message))), "No log entries.")
  ];
}

function setupLine(s) {
  if (!s || typeof s !== "object") return String(s);
  return (s.complete ? "complete" : "incomplete") + (s.items ? " — " + s.items.join("; ") : "");
}

// ---- chatbots -----------------------------------------------------------------------------------

async function chatbotsView(id) {
  if (id) return chatbotView(id);
  const list = await load("/api/chatbots");
  const newId = h("input", { name: "id", required: true, pattern: "[a-z0-9][a-z0-9_-]{0,99}", "aria-label": "New chatbot id" });
  const newDef = h("textarea", { name: "definition", class: "definition", "aria-label": "New chatbot definition (YAML or JSON)",
    placeholder: "name: Acme support\nchannel: sms\nsender: Parley\n..." });
  return [h("h1", {}, "Chatbots"),
    table(["Chatbot", "Name", "Channel", "State", "Active", "Draft", "Next change"], list.map(b => h("tr", {},
      h("td", {}, link("/console/chatbots/" + enc(b.id), b.id)), h("td", {}, b.name || ""), h("td", {}, b.channel || ""),
      h("td", {}, h("span", { class: "badge" }, b.state)), h("td", {}, b.activeRevision ?? "—"), h("td", {}, b.draftRevision),
      h("td", {}, nextChange(b.nextChange)))), "No chatbots yet: create one below."),
    h("h2", {}, "New chatbot"),
    h("form", {
      class: "card", onsubmit: submitting(async () => {
        const r = await saveDefinition(newId.value, newDef.value);
        if (r.ok) go("/console/chatbots/" + enc(newId.value));
      })
    }, h("label", {}, "Id", newId), newDef, h("button", { type: "submit", class: "primary" }, "Create"))];
}

function nextChange(n) {
  if (!n) return "—";
  return n.action.toLowerCase() + " at " + (n.localTime ? n.localTime.replace("T", " ") + " " + n.zone : when(n.at));
}

/** The last validation of each chatbot in this page's life: shown again when its page is re-rendered. */
const lastValidation = {};

function validationResult(v) {
  return v.valid ? h("p", {}, "Valid.") : errorsList(v.errors);
}

async function saveDefinition(id, text) {
  let type = "application/yaml";
  try { JSON.parse(text); type = "application/json"; } catch (e) { /* YAML */ }
  const r = await api("PUT", "/api/chatbots/" + enc(id), text, type);
  const box = document.getElementById("validation");
  if (r.ok) {
    lastValidation[id] = r.body;
    notify("Saved revision " + r.body.revision + (r.body.valid ? ": valid" : ": not valid, see the errors"), !r.body.valid);
    if (box) box.replaceChildren(validationResult(r.body));
  } else {
    notify("Save failed: " + reason(r), true);
    if (box && r.body && r.body.errors) box.replaceChildren(errorsList(r.body.errors));
  }
  return r;
}

async function chatbotView(id) {
  const d = await load("/api/chatbots/" + enc(id));
  const b = d.bot;
  const base = "/api/chatbots/" + enc(id);
  let pretty = d.definition || "";
  try { pretty = JSON.stringify(JSON.parse(pretty), null, 2); } catch (e) { /* keep as is */ }
  const definition = h("textarea", { class: "definition", id: "definition", "aria-label": "Definition (YAML or JSON)" }, pretty);
  const grace = h("input", { name: "grace", placeholder: "PT30M", size: 8, "aria-label": "Grace period (ISO-8601)" });
  const immediate = h("input", { type: "checkbox", name: "immediate" });
  const zone = h("input", { name: "zone", value: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC", "aria-label": "Time zone" });
  const activateAt = h("input", { type: "datetime-local", name: "activateAt", "aria-label": "Activate at" });
  const deactivateAt = h("input", { type: "datetime-local", name: "deactivateAt", "aria-label": "Deactivate at" });
  const lifecycle = () => ({ gracePeriod: grace.value || null, immediate: immediate.checked });
  const validation = h("div", { id: "validation", "aria-live": "polite" },
    lastValidation[id] ? validationResult(lastValidation[id]) : null);
  const refusal = (label) => ({
    done: r => label + ": " + (r.body && r.body.detail ? r.body.detail : (r.body && r.body.state) || "done")
  });
  const lifecycleAction = (label, path) => action(label, async () => {
    const r = await api("POST", base + path, lifecycle());
    if (!r.ok && r.body && r.body.errors) validation.replaceChildren(errorsList(r.body.errors));
    return r;
  }, refusal(label));
  const share = await api("GET", base + "/share");
  return [
    h("p", {}, link("/console/chatbots", "← Chatbots")),
    h("h1", {}, "Chatbot " + b.id),
    h("div", { class: "card" },
      h("p", {}, h("span", { class: "badge" }, b.state), " ", b.name || "", " · channel ", h("code", {}, b.channel || "—"),
        " · sender ", h("code", {}, b.sender || "—"), " · active revision ", String(b.activeRevision ?? "none"),
        " · draft revision ", String(b.draftRevision)),
      b.nextChange ? h("p", {}, "Next: ", nextChange(b.nextChange)) : null,
      b.lastError ? h("p", { class: "errors" }, b.lastError) : null),
    h("h2", {}, "Activate"),
    h("div", { class: "card" },
      h("div", { class: "row" }, h("label", {}, "Grace period", grace),
        h("label", {}, h("span", {}, "End other bot's sessions now"), immediate)),
      lifecycleAction("Activate now", "/activate"), lifecycleAction("Redeploy", "/redeploy"),
      lifecycleAction("Deactivate", "/deactivate"),
      h("h2", {}, "Schedule"),
      h("div", { class: "row" }, h("label", {}, "Activate at", activateAt), h("label", {}, "Deactivate at", deactivateAt),
        h("label", {}, "Time zone", zone)),
      action("Schedule", () => api("POST", base + "/schedule", {
        activateAt: activateAt.value || null, deactivateAt: deactivateAt.value || null, zone: zone.value || null,
        gracePeriod: grace.value || null
      })),
      b.nextChange ? action("Cancel schedule", () => api("DELETE", base + "/schedule")) : null),
    share.ok ? [h("h2", {}, "WhatsApp link"), h("div", { class: "card" }, copyField("wa.me link", share.body.link),
      safeUrl(share.body.qr) ? h("img", { class: "qr", src: safeUrl(share.body.qr), alt: "QR code of " + share.body.link }) : null)] : null,
    h("h2", {}, "Definition (draft)"),
    h("form", {
      onsubmit: submitting(async () => { const r = await saveDefinition(id, definition.value); if (r.ok) await render(false); })
    }, definition,
      h("button", { type: "submit", class: "primary" }, "Save draft"),
      action("Validate", async () => {
        const r = await api("POST", base + "/validate");
        if (r.ok) { lastValidation[id] = r.body; validation.replaceChildren(validationResult(r.body)); }
        return r;
      }, { rerender: false, done: r => r.body.valid ? "Valid" : r.body.errors.length + " errors" })),
    validation
  ];
}

// ---- sessions -----------------------------------------------------------------------------------

async function sessionsView(id) {
  if (id) return sessionView(id);
  const q = new URLSearchParams(location.search);
  const params = new URLSearchParams();
  for (const k of ["connection", "state", "contact"]) if (q.get(k)) params.set(k, q.get(k));
  const [list, connections] = await Promise.all([load("/api/sessions?" + params), load("/api/connections")]);
  const channel = h("select", { name: "connection" }, h("option", { value: "" }, "all"),
    connections.map(c => h("option", { value: c.id, selected: q.get("connection") === c.id }, c.id)));
  const state = h("select", { name: "state" }, h("option", { value: "" }, "all"),
    ["BOT", "HANDED_OFF", "RESOLVED", "CLOSED"].map(s => h("option", { value: s, selected: q.get("state") === s }, s)));
  const contact = h("input", { name: "contact", value: q.get("contact") || "", placeholder: "+41793026727" });
  return [h("h1", {}, "Sessions"),
    h("form", {
      class: "row card", role: "search", onsubmit: (ev) => {
        ev.preventDefault(); // navigates: go() renders the filtered list
        const p = new URLSearchParams();
        if (channel.value) p.set("connection", channel.value);
        if (state.value) p.set("state", state.value);
        if (contact.value.trim()) p.set("contact", contact.value.trim());
        go("/console/sessions" + (p.toString() ? "?" + p : ""));
      }
    }, h("label", {}, "Channel", channel), h("label", {}, "State", state), h("label", {}, "Contact", contact),
      h("button", { type: "submit", class: "primary" }, "Filter")),
    table(["Session", "Channel", "Contact", "State", "Agent", "Last activity"], list.map(s => h("tr", {},
      h("td", {}, link("/console/sessions/" + enc(s.id), "#" + s.id)), h("td", {}, s.connectionId),
      h("td", {}, s.contact, s.contactName ? h("span", { class: "muted" }, " (" + s.contactName + ")") : null),
      h("td", {}, h("span", { class: "badge" }, s.state)), h("td", {}, s.agentId || ""), h("td", {}, when(s.updatedAt)))),
      "No sessions match.")];
}

/** Timeline kinds in plain words; the message kinds are shown as the messages themselves. */
const EVENT_WORDS = {
  SESSION_OPENED: "Session opened", SESSION_CLOSED: "Session closed", HANDOFF_REQUESTED: "Handoff to a human requested",
  HANDOFF_OPENED: "Ticket opened at the help desk", HANDOFF_FAILED: "Handoff failed", HANDOFF_UNAVAILABLE: "No desk to hand off to",
  HANDOFF_RESOLVED: "The help desk solved the ticket", HANDOFF_CLOSED: "Handoff closed", HANDOFF_IGNORED: "Handoff ignored",
  HANDOFF_FIELDS_DROPPED: "Some handoff fields were dropped", BOT_TOPIC: "Bot recognised the topic",
  TOPIC_ESCALATED: "Topic is escalated to a human", BOT_ERROR: "The bot failed", BOT_SILENCED: "The bot stayed silent",
  BOT_RESOLVED: "The bot resolved the conversation", BOT_CONTEXT_DROPPED: "The bot's state was dropped",
  RESOLVE_IGNORED: "Resolve ignored", SEND_FAILED: "Sending failed", SEND_RETRY: "Sending is retried",
  SEND_UNCHECKED: "Sent, not confirmed", MEDIA_COPIED: "Media copied", MEDIA_NOT_COPIED: "Media not copied",
  MESSAGE_SPLIT: "Long message split", MESSAGE_CUT: "Message cut", MESSAGE_UNSUPPORTED: "Message type not supported",
  LINK_CLICKED: "The customer opened a link", AI_STAYS_OUT: "The AI stays out", ASSIGNED_TO_AI: "Assigned to the AI",
  AI_RESUMED: "The AI took the conversation back", CONVERSATION_CLOSED: "Conversation closed at the provider",
  CONVERSATION_CLOSE_FAILED: "Closing the provider's conversation failed", CONVERSATION_CLOSE_RETRY: "Closing is retried",
  DESK_FAILED: "The help desk failed", TEST_SENDER_REFUSED: "Refused: not a test sender", BOT_REASONING: "Why the bot answered"
};
const BAD_EVENTS = /FAILED|ERROR|UNAVAILABLE|REFUSED|NOT_COPIED|DROPPED/;
const QUIET_EVENTS = new Set(["MESSAGE_IN", "MESSAGE_OUT", "STATUS", "SENT", "STATUS_IGNORED"]);
const TICKS = { QUEUED: "○", SENT: "✓", DELIVERED: "✓✓", READ: "✓✓", FAILED: "✗ failed" };

function words(kind) {
  return EVENT_WORDS[kind] || kind.charAt(0) + kind.slice(1).toLowerCase().replace(/_/g, " ");
}

function messageItem(m) {
  const files = (m.content && m.content.attachments) || [];
  return h("li", { "data-message": m.id },
    h("div", { class: "msg " + m.direction },
      m.text || (files.length ? "" : h("span", { class: "muted" }, m.kind ? "(" + m.kind + ")" : "(empty)")),
      files.map(f => {
        const href = safeUrl(f.link);
        if (!f.link) return h("span", { class: "meta" }, "📎 " + (f.fileName || f.contentType || "attachment") + " (not copied)");
        if (!href) return h("span", { class: "meta" }, "📎 " + (f.fileName || f.contentType || "file"));
        return String(f.contentType || f.type || "").startsWith("image/")
          ? h("a", { href, target: "_blank", rel: "noopener" }, h("img", { src: href, alt: f.caption || f.fileName || "image" }))
          : h("a", { href, target: "_blank", rel: "noopener" }, "📎 " + (f.fileName || f.contentType || "file"));
      }),
      h("span", { class: "meta" }, (m.direction === "IN" ? "from the customer" : "to the customer") + " · " + when(m.createdAt),
        m.direction === "OUT" && m.status
          ? h("span", { class: "ticks " + m.status, title: m.status, "aria-label": "status " + m.status }, TICKS[m.status] || m.status)
          : null),
      m.error ? h("span", { class: "meta error" }, m.error) : null));
}

function eventItem(e) {
  if (e.kind === "BOT_REASONING") {
    return h("li", { "data-event": e.kind }, h("div", { class: "reasoning" }, h("strong", {}, "Why the bot answered: "), e.detail || ""));
  }
  return h("li", { class: "event" + (BAD_EVENTS.test(e.kind) ? " bad" : ""), "data-event": e.kind },
    h("strong", {}, words(e.kind)), e.detail ? ": " + e.detail : "", h("span", { class: "muted" }, " · " + when(e.at)));
}

async function sessionView(id) {
  const d = await load("/api/sessions/" + enc(id));
  const s = d.session;
  const items = [
    ...d.messages.map(m => ({ at: m.createdAt, order: 0, id: m.id, node: () => messageItem(m) })),
    ...d.timeline.filter(e => !QUIET_EVENTS.has(e.kind)).map(e => ({ at: e.at, order: 1, id: e.id, node: () => eventItem(e) }))
  ].sort((a, b) => (new Date(a.at) - new Date(b.at)) || (a.order - b.order) || (a.id - b.id));
  const text = h("textarea", { name: "reply", "aria-label": "Reply to the customer", placeholder: "Write to the customer…" });
  const agent = h("input", { name: "agentName", placeholder: "Your name", "aria-label": "Your name" });
  const open = s.state === "BOT" || s.state === "HANDED_OFF";
  return [
    h("p", {}, link("/console/sessions", "← Sessions")),
    h("h1", {}, "Session #" + s.id),
    h("div", { class: "card" },
      h("p", {}, h("span", { class: "badge" }, s.state), " ", s.contact, s.contactName ? " (" + s.contactName + ")" : "",
        " on ", link("/console/channels/" + enc(s.connectionId), s.connectionId), " · agent ", h("code", {}, s.agentId || "—"),
        " · opened ", when(s.createdAt))),
    d.handoffs.length ? [h("h2", {}, "Handoffs"), table(["Desk", "State", "Reason", "Summary", "Sentiment", "Language", "Ticket"],
      d.handoffs.map(x => h("tr", {}, h("td", {}, x.desk), h("td", {}, x.state), h("td", {}, x.reason || ""),
        h("td", {}, x.summary || ""), h("td", {}, x.sentiment || ""), h("td", {}, x.language || "—"),
        h("td", {}, safeUrl(x.ticketUrl) ? h("a", { href: safeUrl(x.ticketUrl), target: "_blank", rel: "noopener" }, "Ticket " + (x.ticketRef || "")) : (x.ticketRef || ""),
          x.error ? h("div", { class: "errors" }, x.error) : null))))] : null,
    h("h2", {}, "Conversation"),
    h("ol", { class: "timeline", "aria-label": "Messages and events" }, items.map(i => i.node())),
    open ? [h("h2", {}, "Answer as the desk"),
      h("form", {
        class: "card", onsubmit: submitting(async () => {
          if (!text.value.trim()) { notify("Write a reply first", true); return; }
          const r = await api("POST", "/api/sessions/" + enc(id) + "/reply", { text: text.value, agentName: agent.value || null });
          if (r.ok) { notify("Reply queued"); await render(false); } else notify("Reply failed: " + reason(r), true);
        })
      }, text, h("div", { class: "row" }, h("label", {}, "Name", agent), h("button", { type: "submit", class: "primary" }, "Send reply"),
        action("Resolve", () => api("POST", "/api/sessions/" + enc(id) + "/resolve"), { class: "danger" })))] : null
  ];
}

// ---- knowledge ----------------------------------------------------------------------------------

async function knowledgeView() {
  const [connections, articles] = await Promise.all([load("/api/connections"), load("/api/knowledge/articles")]);
  const sources = connections.filter(c => c.knowledge);
  return [h("h1", {}, "Knowledge"),
    h("h2", {}, "Sync"),
    table(["Source", "Last sync", "Articles", "Last error", ""], sources.map(c => h("tr", {},
      h("td", {}, link("/console/channels/" + enc(c.id), c.id)), h("td", {}, when(c.knowledge.lastRunAt) || "never"),
      h("td", {}, String(c.knowledge.articles)), h("td", { class: c.knowledge.lastError ? "errors" : "" }, c.knowledge.lastError || "—"),
      h("td", {}, action("Sync now", () => api("POST", "/api/connections/" + enc(c.id) + "/sync"), { aria: "Sync " + c.id })))),
      "No connection is a knowledge source."),
    h("h2", {}, "Articles (" + articles.length + ")"),
    table(["Title", "Source", "Locale", "Updated"], articles.map(a => h("tr", {},
      h("td", {}, safeUrl(a.url) ? h("a", { href: safeUrl(a.url), target: "_blank", rel: "noopener" }, a.title) : a.title),
      h("td", {}, a.source), h("td", {}, a.locale || ""), h("td", {}, when(a.updatedAt)))), "No articles.")];
}

// ---- doctor -------------------------------------------------------------------------------------

function findings(list) {
  return h("ul", { class: "findings" }, list.map(f => h("li", { "data-severity": f.severity },
    h("span", { class: "badge sev-" + f.severity }, f.severity), " ", h("strong", {}, f.symptom),
    f.severity !== "OK" && f.cause ? h("div", {}, h("span", { class: "muted" }, "Cause: "), f.cause) : null,
    f.severity !== "OK" && f.fix ? h("div", {}, h("span", { class: "muted" }, "Fix: "), f.fix) : null)));
}

async function doctorView() {
  const d = await load("/api/doctor");
  return [h("h1", {}, "Doctor"),
    h("p", {}, "Worst finding: ", h("span", { class: "badge sev-" + d.worst }, d.worst), h("span", { class: "muted" }, " · checked " + when(d.checkedAt) + " "),
      action("Run again", async () => ({ ok: true }))),
    h("h2", {}, "Parley"), findings(d.runtime || []),
    d.connections.map(c => [h("h2", {}, stateDot(c.state, c.reason), " ", link("/console/channels/" + enc(c.id), c.id), " ",
      h("span", { class: "muted" }, c.type)), findings(c.findings || [])])];
}

// ---- sandbox ------------------------------------------------------------------------------------

/** What the console can do with each kind of built-in sandbox (calls go to /api/sandbox/<id>/..., admin only). */
const SANDBOX_PLAYS = {
  "infobip-sms": { customer: "SMS customer", send: (id, from, text) => ["/customer/" + enc(from) + "/text", { text }], view: "/messages" },
  "infobip-whatsapp": { customer: "WhatsApp customer", send: (id, from, text, name) => ["/customer/" + enc(from) + "/text", { text, name: name || null }], view: "/messages" },
  "infobip-conversations": { customer: "Conversations customer", send: (id, from, text, name) => ["/console/conversations", { from, text, name: name || null }], view: "/console/conversations" },
  "zendesk": { desk: true, view: "/agent/tickets" },
  "hubspot": { view: "/agent/tickets" }
};

async function sandboxView(id) {
  const connections = (await load("/api/connections")).filter(c => c.settings && c.settings["base-url"] === "sandbox");
  if (!id) {
    return [h("h1", {}, "Sandbox"),
      h("p", { class: "muted" }, "Built-in stand-ins of the providers: play the customer and the human agent here."),
      table(["Connection", "Type", "State"], connections.map(c => h("tr", {},
        h("td", {}, link("/console/sandbox/" + enc(c.id), c.id)), h("td", {}, c.type), h("td", {}, stateDot(c.state, c.stateReason)))),
        "No sandbox connections are configured.")];
  }
  const c = connections.find(x => x.id === id);
  if (!c) throw new Error("'" + id + "' is not a sandbox connection");
  const play = SANDBOX_PLAYS[c.type] || { view: "/messages" };
  const base = "/api/sandbox/" + enc(id);
  const view = await api("GET", base + play.view);
  const parts = [h("p", {}, link("/console/sandbox", "← Sandbox")), h("h1", {}, "Sandbox " + id),
    h("p", { class: "muted" }, c.type + " · ", stateDot(c.state, c.stateReason))];
  if (play.customer) {
    const from = h("input", { name: "from", value: "+41793026727", "aria-label": "Customer number" });
    const name = h("input", { name: "name", value: "Ada", "aria-label": "Customer name" });
    const text = h("textarea", { name: "text", "aria-label": "Customer message", placeholder: "What are your hours?" });
    parts.push(h("h2", {}, "Be the " + play.customer), h("form", {
      class: "card", onsubmit: submitting(async () => {
        const [path, body] = play.send(id, from.value.trim(), text.value, name.value.trim());
        const r = await api("POST", base + path, body);
        if (r.ok) { notify("The customer's message was posted to Parley"); text.value = ""; pollSandbox(5, 1500); }
        else notify("Posting failed: " + reason(r), true);
      })
    }, h("div", { class: "row" }, h("label", {}, "From", from), h("label", {}, "Name", name)), text,
      h("button", { type: "submit", class: "primary" }, "Send as customer")));
  }
  if (play.desk && view.ok) parts.push(h("h2", {}, "Be the help desk agent"), deskTickets(base, view.body.tickets || []));
  if (c.type === "infobip-conversations" && view.ok) parts.push(h("h2", {}, "Conversations"), conversations(base, view.body, c.settings["ai-agent-id"]));
  parts.push(h("h2", {}, "What the provider holds"), h("div", { class: "row" }, action("Refresh", async () => ({ ok: true }))),
    view.ok ? h("pre", { class: "card mono", "aria-label": "Sandbox state" }, JSON.stringify(view.body, null, 2))
      : h("p", { class: "errors" }, reason(view)));
  return parts;
}

/** Counts the sandbox pages' polls: a newer one ends the older one. */
let sandboxPolls = 0;

/**
 * Re-renders this sandbox page `times` times, every `everyMs` ms, while the bot answers the customer; stops
 * early when the page is left or the customer writes again. main is aria-busy until the last re-render is done.
 */
function pollSandbox(times, everyMs) {
  const mine = ++sandboxPolls;
  const path = location.pathname;
  const current = () => mine === sandboxPolls && location.pathname === path;
  busy(true);
  (async () => {
    try {
      for (let i = 0; i < times; i++) {
        await new Promise(resolve => setTimeout(resolve, everyMs));
        if (!current()) return;
        await render(false);
      }
    } finally {
      busy(false);
    }
  })();
}

function deskTickets(base, tickets) {
  if (!tickets.length) return h("p", { class: "muted" }, "No tickets yet: ask the bot for a human.");
  return h("div", {}, tickets.map(t => {
    const text = h("textarea", { "aria-label": "Reply on ticket " + t.id, placeholder: "Hi, Dana here. How can I help?" });
    return h("div", { class: "card", "data-ticket": t.id },
      h("p", {}, h("strong", {}, "Ticket " + t.id + ": " + (t.subject || "")), " ", h("span", { class: "badge" }, t.status)),
      h("ol", {}, (t.comments || []).map(cm => h("li", {}, h("span", { class: "muted" }, (cm.public === false ? "internal note" : "comment") + ": "),
        String(cm.body || cm.plain_body || "").substring(0, 400)))),
      text,
      action("Reply as agent", () => api("POST", base + "/agent/tickets/" + enc(t.id) + "/reply", { text: text.value, agent: "Dana" }),
        { aria: "Reply on ticket " + t.id }),
      action("Solve", () => api("POST", base + "/agent/tickets/" + enc(t.id) + "/solve", { agent: "Dana" }), { aria: "Solve ticket " + t.id }));
  }));
}

/** A Conversations message's content in words: its text, or the kind of media and its caption. */
function messageText(content) {
  if (!content) return "";
  if (typeof content.text === "string") return content.text.substring(0, 400);
  const caption = content.caption ? " " + content.caption : "";
  return content.url ? "[media]" + caption : JSON.stringify(content).substring(0, 200);
}

function conversations(base, body, aiAgent) {
  const list = body.conversations || [];
  if (!list.length) return h("p", { class: "muted" }, "No conversations yet.");
  return h("div", {}, list.map(cv => {
    const text = h("input", { "aria-label": "Customer writes in " + cv.id, placeholder: "I want to talk to a human" });
    return h("div", { class: "card", "data-conversation": cv.id },
      h("p", {}, h("code", {}, cv.id), " ", h("span", { class: "badge" }, cv.status || ""), " assignee ",
        h("code", { class: "assignee" }, cv.assignee ? (cv.assignee.name || cv.assignee.id) : "none"),
        (cv.tags || []).length ? h("span", { class: "muted" }, " · tags " + cv.tags.join(", ")) : ""),
      h("ol", { class: "messages" }, (cv.messages || []).map(m => h("li", {},
        h("span", { class: "muted" }, String(m.authorType || m.direction || "").toLowerCase() + ": "), messageText(m.content)))),
      (cv.notes || []).length ? h("ul", { class: "notes" }, cv.notes.map(n => h("li", {},
        h("span", { class: "muted" }, "internal note: "), String(n.content || "").substring(0, 400)))) : "",
      h("div", { class: "row" }, text,
        action("Customer writes", () => api("POST", base + "/console/conversations/" + enc(cv.id) + "/messages", { text: text.value }),
          { name: "write" }),
        action("Give to the AI", () => api("POST", base + "/console/conversations/" + enc(cv.id) + "/assign", { agentId: aiAgent }),
          { name: "assign-ai" }),
        action("Close", () => api("POST", base + "/console/conversations/" + enc(cv.id) + "/status", { status: "CLOSED" }),
          { name: "close" })));
  }));
}
