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
    sheet = { version: ctx.sheet.version, state: ctx.sheet.state, marks: { ...ctx.sheet.marks }, notes: {},
      reason: ctx.sheet.reason };
  }
  const save = () => write(SHEET, sheet);
  let elsewhere = false;  // another device holds this sheet (see claim below)
  const fields = [...document.querySelectorAll("[data-input]")];

  function show() {
    for (const el of fields) {
      const v = sheet.marks[el.name];
      if (el.type === "checkbox") el.checked = v === "1"; else el.value = v ?? "";
    }
    for (const el of document.querySelectorAll("[data-note]")) el.value = sheet.notes?.[el.dataset.note] ?? "";
    const closed = ["submitted", "locked"].includes(sheet.state) || pendingFor().length > 0 || elsewhere;
    for (const el of document.querySelectorAll("#sheet input, #sheet select, #sheet button")) el.disabled = closed;
    $("state").textContent = pendingFor().length ? W.waiting : (W[sheet.state] || sheet.state);
    $("pending").textContent = read(OUTBOX, []).length;
    $("net").textContent = navigator.onLine ? W.online : W.offline;
    $("status").classList.toggle("offline", !navigator.onLine);
    $("subtotal").textContent = subtotal();
    $("elsewhere").classList.toggle("open", elsewhere);
    $("returned").classList.toggle("open", sheet.state === "returned" && !!sheet.reason);
    $("returned-reason").textContent = sheet.reason || "";
  }

  // exact subtotal with integers scaled by a million (what the judge has marked so far). A time
  // or measurement that maps to points by bands or a table is left out (the server maps it);
  // where lower is better, times are seconds and deductions add penalty seconds.
  const S = 1000000;
  const scaled = (t) => Math.round(parseFloat(t) * S);
  const lower = ctx.better === "lower";
  $("subtotal-note").hidden = !fields.some((el) => el.dataset.mapped === "1");
  function subtotal() {
    let total = 0;
    for (const el of fields) {
      const v = sheet.marks[el.name];
      if (v === undefined || v === "" || el.dataset.mapped === "1") continue;
      const kind = el.dataset.input;
      if (kind === "toggle") total += v === "1" ? scaled(el.dataset.points) : 0;
      else if (kind === "counter") {
        let off = scaled(el.dataset.per) * parseInt(v, 10);
        if (el.dataset.cap) off = Math.min(off, scaled(el.dataset.cap));
        total += lower ? off : -off;
      } else if (kind === "stopwatch") total += secondsScaled(v);
      else if (kind !== "veto") total += scaled(v);
    }
    const sign = total < 0 ? "-" : "", a = Math.abs(total), whole = Math.floor(a / S);
    const frac = String(a % S).padStart(6, "0").replace(/0+$/, "");
    return sign + whole + (frac ? "." + frac : "");
  }

  // "83.4" or "1:23.4" in seconds, scaled
  function secondsScaled(text) {
    const parts = String(text).split(":");
    return parts.length === 2 ? scaled(parts[0]) * 60 + scaled(parts[1]) : scaled(text);
  }

  // --- the stopwatch of a judge-timed criterion: start, stop, laps; its state is kept on the
  // device, so a reload while it runs loses nothing. Stopping (or picking a lap) fills the field,
  // which stays editable.
  const clock = (ms) => `${Math.floor(ms / 1000)}.${String(Math.floor((ms % 1000) / 10)).padStart(2, "0")}`;
  for (const box of document.querySelectorAll("[data-watch]")) {
    const key = box.dataset.watch, store = `watch:${ctx.judge}:${ctx.round}:${ctx.entry}:${key}`;
    const input = $(`m-${key}`), start = box.querySelector(".sw-start");
    let w = read(store, { started: null, elapsed: 0, laps: [] });
    const now = () => w.elapsed + (w.started ? Date.now() - w.started : 0);
    const use = (ms) => { input.value = clock(ms); changed(input); };
    function paint() {
      box.querySelector(".clock").textContent = clock(now());
      box.classList.toggle("running", !!w.started);
      start.textContent = w.started ? W.stop : W.start;
      box.querySelector(".laps").replaceChildren(...w.laps.map((ms, i) => {
        const lap = document.createElement("button");
        Object.assign(lap, { type: "button", className: "secondary lap", textContent: `${i + 1}: ${clock(ms)}` });
        lap.dataset.ms = String(Number(ms));
        return lap;
      }));
      for (const b of box.querySelectorAll(".lap")) b.disabled = input.disabled;
      if (w.started) requestAnimationFrame(paint);
    }
    start.addEventListener("click", () => {
      if (w.started) { w = { ...w, elapsed: now(), started: null }; write(store, w); use(w.elapsed); }
      else { w = { ...w, started: Date.now() }; write(store, w); }
      paint();
    });
    box.querySelector(".sw-lap").addEventListener("click", () => {
      if (!w.started) return;
      w = { ...w, laps: [...w.laps, now()] }; write(store, w); paint();
    });
    box.querySelector(".sw-reset").addEventListener("click", () => {
      w = { started: null, elapsed: 0, laps: [] }; write(store, w); paint();
    });
    box.querySelector(".laps").addEventListener("click", (event) => {
      const lap = event.target.closest(".lap");
      if (lap) use(parseInt(lap.dataset.ms, 10));
    });
    paint();
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
  // one device per sheet: the tablet claims the sheet as it opens it; if another device holds
  // it, the judge is told to ask the chief judge, and the tablet asks again every 10 s.
  const ELSEWHERE = "urn:scoring:problem:sheet-on-another-device";
  async function claim() {
    if (!navigator.onLine) return;
    try {
      const response = await fetch(`${URL_}/claim`, { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ device }), credentials: "same-origin" });
      const data = await response.json().catch(() => ({}));
      const was = elsewhere;
      elsewhere = response.status === 409 && data.type === ELSEWHERE;
      if (was !== elsewhere) { show(); if (!elsewhere) flush(); }
    } catch (e) { /* offline: the next write claims it */ }
  }
  setInterval(() => { if (elsewhere) claim(); }, 10000);

  // a submitted sheet may come back: while it waits, ask the server now and then (every 10 s)
  // whether the chief judge has returned or corrected it, and show the new version with the reason
  async function recheck() {
    if (!navigator.onLine || sheet.state !== "submitted" || pendingFor().length) return;
    try {
      const response = await fetch(URL_, { credentials: "same-origin" });
      if (!response.ok) return;
      const data = await response.json();
      if (data.version > sheet.version && !pendingFor().length) {
        sheet = { version: data.version, state: data.state, marks: { ...data.marks }, notes: { ...data.notes },
          reason: data.reason };
        save(); show();
      }
    } catch (e) { /* offline: ask again later */ }
  }
  setInterval(recheck, 10000);

  let busy = false, delay = 1000, timer = null;
  async function flush() {
    if (busy) return;
    busy = true;
    const blocked = new Set();  // sheets held by another device: their requests wait, the others go
    try {
      for (;;) {
        const outbox = read(OUTBOX, []);
        const item = outbox.find((entry) => !blocked.has(entry.sheet));
        if (!item) { delay = 1000; break; }
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
          $("message").textContent = "";
          timer = setTimeout(flush, delay); delay = Math.min(delay * 2, 30000); break;
        }
        const data = await response.json().catch(() => ({}));
        if (response.status === 401 || response.status === 403) { $("message").textContent = W.signin; break; }
        if (response.status === 409 && data.type === ELSEWHERE) {  // kept in the outbox until released
          blocked.add(item.sheet);
          if (item.sheet === SHEET) elsewhere = true;
          continue;
        }
        write(OUTBOX, read(OUTBOX, []).filter((entry) => entry.body.client_id !== item.body.client_id));
        if (response.ok) {
          Object.assign(local, { version: data.version, state: data.state, reason: data.reason });
          write(item.sheet, local);
          $("message").textContent = "";
        } else if (response.status === 409 && data.current) {
          Object.assign(local, { version: data.current.version, state: data.current.state, reason: data.current.reason });
          write(item.sheet, local);
          $("message").textContent = W.stale;
        } else {
          const problems = (data.problems || []).map((p) => `${p.field}: ${p.zh}`).join("; ");
          $("message").textContent = `${W.rejected}: ` + (problems || (data.zh ? `${data.zh} / ${data.en}` : data.detail || ""));
        }
        if (item.sheet === SHEET) sheet = read(SHEET, sheet);
      }
    } finally { busy = false; show(); }
  }

  $("save").addEventListener("click", () => enqueue("save"));
  $("review").addEventListener("click", () => {
    // built from text nodes only: a criterion's title or a mark is never read as HTML
    const rows = [...document.querySelectorAll(".crit[data-key]")].map((c) => {
      const key = c.dataset.key, label = c.querySelector("label").childNodes[0].textContent.trim();
      const row = document.createElement("tr");
      for (const text of [label, String(sheet.marks[key] ?? W.unmarked)]) {
        const cell = document.createElement("td"); cell.textContent = text; row.appendChild(cell);
      }
      return row;
    });
    $("summary-table").replaceChildren(...rows);
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
  show(); claim().then(flush);
})();
