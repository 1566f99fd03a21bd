// The judge's score sheet on a tablet. Every change is kept on the device at once
// (localStorage); saves and submissions go through an outbox of requests, each with a
// client-made id, sent in order and retried with backoff until the server answers. A retry
// carries the same id and body, so the server stores it once. The server checks everything.
(function () {
  "use strict";
  const ctx = JSON.parse(document.getElementById("ctx").textContent);
  const W = ctx.words;
  const SHEET = `sheet:${ctx.judge}:${ctx.round}:${ctx.entry}`;
  const OUTBOX = `outbox:${ctx.judge}`;
  const URL_ = `/api/judge/sheets/${ctx.round}/${encodeURIComponent(ctx.entry)}`;
  const $ = (id) => document.getElementById(id);
  const read = (k, d) => { try { return JSON.parse(localStorage.getItem(k)) ?? d; } catch (e) { return d; } };
  const write = (k, v) => localStorage.setItem(k, JSON.stringify(v));
  const newId = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`.replace(/\./g, ""));
  const device = read("device", null) || (write("device", `tablet-${newId().slice(0, 8)}`), read("device"));

  // the device's copy, unless the server has moved on (the chief judge returned or locked it)
  let sheet = read(SHEET, null);
  if (!sheet || ctx.sheet.version > sheet.version) {
    sheet = { version: ctx.sheet.version, state: ctx.sheet.state, marks: { ...ctx.sheet.marks }, notes: {} };
  }
  const save = () => write(SHEET, sheet);
  const fields = [...document.querySelectorAll("[data-input]")];

  function show() {
    for (const el of fields) {
      const v = sheet.marks[el.name];
      if (el.type === "checkbox") el.checked = v === "1"; else el.value = v ?? "";
    }
    for (const el of document.querySelectorAll("[data-note]")) el.value = sheet.notes?.[el.dataset.note] ?? "";
    const closed = ["submitted", "locked"].includes(sheet.state) || pendingFor().length > 0;
    for (const el of document.querySelectorAll("#sheet input, #sheet select, #sheet button")) el.disabled = closed;
    $("state").textContent = pendingFor().length ? W.waiting : (W[sheet.state] || sheet.state);
    $("pending").textContent = read(OUTBOX, []).length;
    $("net").textContent = navigator.onLine ? W.online : W.offline;
    $("status").classList.toggle("offline", !navigator.onLine);
    $("subtotal").textContent = subtotal();
  }

  // exact subtotal with integers scaled by a million (what the judge has marked so far)
  const S = 1000000;
  const scaled = (t) => Math.round(parseFloat(t) * S);
  function subtotal() {
    let total = 0;
    for (const el of fields) {
      const v = sheet.marks[el.name];
      if (v === undefined || v === "") continue;
      const kind = el.dataset.input;
      if (kind === "toggle") total += v === "1" ? scaled(el.dataset.points) : 0;
      else if (kind === "counter") {
        let off = scaled(el.dataset.per) * parseInt(v, 10);
        if (el.dataset.cap) off = Math.min(off, scaled(el.dataset.cap));
        total -= off;
      } else if (kind !== "veto") total += scaled(v);
    }
    const sign = total < 0 ? "-" : "", a = Math.abs(total), whole = Math.floor(a / S);
    const frac = String(a % S).padStart(6, "0").replace(/0+$/, "");
    return sign + whole + (frac ? "." + frac : "");
  }

  function check(el) {
    const why = el.closest(".crit").querySelector(".why");
    el.setCustomValidity("");
    if (el.type === "number" && el.value !== "" && !el.checkValidity()) {
      why.textContent = el.validationMessage;
      return false;
    }
    why.textContent = "";
    return true;
  }

  function changed(el) {
    if (el.dataset.input === "veto" && el.checked && !confirm(W.veto)) { el.checked = false; return; }
    if (!check(el)) return;                       // refused in place; the device keeps the last valid value
    const value = el.type === "checkbox" ? (el.checked ? "1" : "") : el.value.trim();
    if (value === "") delete sheet.marks[el.name]; else sheet.marks[el.name] = value;
    save(); show();
  }
  for (const el of fields) el.addEventListener("change", () => changed(el));
  for (const el of document.querySelectorAll("[data-note]")) el.addEventListener("change", () => {
    sheet.notes = sheet.notes || {};
    if (el.value.trim()) sheet.notes[el.dataset.note] = el.value.trim(); else delete sheet.notes[el.dataset.note];
    save();
  });
  for (const b of document.querySelectorAll(".step")) b.addEventListener("click", () => {
    const el = $(b.dataset.for);
    if (b.dataset.dir === "1") el.stepUp(); else el.stepDown();
    changed(el);
  });

  // the outbox: requests wait here until the server has answered them
  const pendingFor = () => read(OUTBOX, []).filter((item) => item.url === URL_);
  function enqueue(action) {
    const outbox = read(OUTBOX, []);
    outbox.push({ url: URL_, sheet: SHEET, body: { action, client_id: newId(), marks: { ...sheet.marks },
      notes: { ...(sheet.notes || {}) }, device } });
    write(OUTBOX, outbox); show(); flush();
  }
  let busy = false, delay = 1000, timer = null;
  async function flush() {
    if (busy) return;
    busy = true;
    try {
      for (;;) {
        const outbox = read(OUTBOX, []);
        if (!outbox.length) { delay = 1000; break; }
        const item = outbox[0];
        const local = read(item.sheet, sheet);
        if (item.body.base_version === undefined) {   // fixed at the first try, so retries are identical
          item.body.base_version = local.version; write(OUTBOX, outbox);
        }
        let response;
        try {
          $("message").textContent = W.sending;
          response = await fetch(item.url, { method: "PUT", headers: { "content-type": "application/json" },
            body: JSON.stringify(item.body), credentials: "same-origin" });
        } catch (e) { response = null; }
        if (!response || response.status >= 500) {    // no answer: try again later
          timer = setTimeout(flush, delay); delay = Math.min(delay * 2, 30000); break;
        }
        const data = await response.json().catch(() => ({}));
        if (response.status === 401 || response.status === 403) { $("message").textContent = W.signin; break; }
        const rest = read(OUTBOX, []).slice(1);
        write(OUTBOX, rest);
        if (response.ok) {
          Object.assign(local, { version: data.version, state: data.state });
          write(item.sheet, local);
          $("message").textContent = "";
        } else if (response.status === 409 && data.current) {
          Object.assign(local, { version: data.current.version, state: data.current.state });
          write(item.sheet, local);
          $("message").textContent = W.stale;
        } else {
          $("message").textContent = `${W.rejected}: ` + (data.problems || []).map((p) => `${p.field}: ${p.zh}`).join("; ");
        }
        if (item.sheet === SHEET) sheet = read(SHEET, sheet);
      }
    } finally { busy = false; show(); }
  }

  $("save").addEventListener("click", () => enqueue("save"));
  $("review").addEventListener("click", () => {
    const rows = [...document.querySelectorAll(".crit[data-key]")].map((c) => {
      const key = c.dataset.key, label = c.querySelector("label").childNodes[0].textContent.trim();
      return `<tr><td>${label}</td><td>${sheet.marks[key] ?? W.unmarked}</td></tr>`;
    });
    $("summary-table").innerHTML = rows.join("");
    $("summary").classList.add("open"); $("summary").scrollIntoView();
  });
  $("cancel").addEventListener("click", () => $("summary").classList.remove("open"));
  $("confirm").addEventListener("click", () => { $("summary").classList.remove("open"); enqueue("submit"); });

  window.addEventListener("online", () => { clearTimeout(timer); delay = 1000; show(); flush(); });
  window.addEventListener("offline", show);
  setInterval(flush, 5000);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/judge/sw.js", { scope: "/judge/" })
      .then(() => navigator.serviceWorker.ready)
      .then(() => caches.open("judge-pages-v1"))
      .then((cache) => cache.addAll([location.href, "/judge/sheet.js"]))
      .then(() => { window.__pageKept = true; })
      .catch(() => {});
  }
  show(); flush();
})();
