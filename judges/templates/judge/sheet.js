// The judge's score sheet on a tablet. What a box shows is what the device keeps: every
// keystroke is kept at once (localStorage) as typed, checked in place in the page's language
// (marks.js), and a sheet holding a mark that is not valid is neither saved nor submitted; the
// subtotal and the confirmation list show the kept marks only. Saves and submissions go through
// an outbox of requests, each with a client-made id, sent in order and retried with backoff
// until the server answers; a retry carries the same id and body, so the server stores it once.
// The form stays editable while drafts wait, and successive unsent drafts of one sheet collapse
// into the newest: a submission, a request already tried (it may be stored) and another sheet's
// request are never touched. Opening a sheet ties it to nothing: its first write ties it to this
// device (the server's rule); the tablet only asks whether another device holds it. The server
// checks everything. For a rubric with attempts it also asks every 10 s while online, so the
// attempts' parameters from the desk stay current (attempts.js shows them).
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const M = window.JudgeMarks;
  const A = window.JudgeAttempts;   // a rubric with attempts (attempts.js), else undefined
  const ctx = JSON.parse($("ctx").textContent);
  const W = ctx.words;
  const SHEET = `sheet:${ctx.judge}:${ctx.round}:${ctx.entry}`;
  const OUTBOX = `outbox:${ctx.judge}`;
  const URL_ = `/api/judge/sheets/${ctx.round}/${encodeURIComponent(ctx.entry)}`;
  const read = (k, d) => { try { return JSON.parse(localStorage.getItem(k)) ?? d; } catch (e) { return d; } };
  const write = (k, v) => localStorage.setItem(k, JSON.stringify(v));
  const newId = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`.replace(/\./g, ""));
  const device = read("device", null) || (write("device", `tablet-${newId().slice(0, 8)}`), read("device"));

  // the device's copy, unless the server has moved on (the chief judge returned or locked it)
  let sheet = read(SHEET, null);
  if (!sheet || !sheet.marks || ctx.sheet.version > sheet.version) {
    sheet = { version: ctx.sheet.version, state: ctx.sheet.state, marks: { ...ctx.sheet.marks }, notes: {},
      reason: ctx.sheet.reason };
  }
  if (!sheet.held && sheet.version === ctx.sheet.version) sheet.held = { ...ctx.sheet.marks };  // what the server holds
  const save = () => write(SHEET, sheet);
  let elsewhere = false;          // another device holds this sheet
  let serverWhy = {};             // what the server said of each mark of a refused write
  let blocked = false;            // the judge tried to send a sheet with marks that are not valid
  const fields = [...document.querySelectorAll("[data-input]")];
  const why = (el) => M.why(el, sheet.marks[el.name], W) || serverWhy[el.name] || "";
  const pendingFor = () => read(OUTBOX, []).filter((item) => item.url === URL_);
  const submitting = () => pendingFor().some((item) => item.body.action === "submit");
  $("subtotal-note").hidden = !fields.some((el) => el.dataset.mapped === "1");

  function show() {
    let wrong = 0;
    for (const el of fields) {
      const v = sheet.marks[el.name];
      if (el.type === "checkbox") el.checked = v === "1";
      else if (el.value !== (v ?? "")) el.value = v ?? "";
      const problem = why(el);
      if (problem) wrong += 1;
      el.setAttribute("aria-invalid", problem ? "true" : "false");
      el.closest(".crit").querySelector(".why").textContent = problem;
    }
    for (const el of document.querySelectorAll("[data-note]")) el.value = sheet.notes?.[el.dataset.note] ?? "";
    const done = (["submitted", "locked"].includes(sheet.state) && !A?.open(sheet)) || submitting();
    const closed = done || elsewhere;
    for (const el of document.querySelectorAll("#sheet input, #sheet select, #sheet button, #save, #review")) {
      el.disabled = closed || !!A?.closed(el, sheet);
    }
    A?.show(sheet, W);
    $("next")?.classList.toggle("secondary", !done);   // once submitted, going on is the thing to do
    const waiting = pendingFor().length ? ` · ${W.waiting}` : "";   // a draft saved here, not yet on the server
    $("state").textContent = submitting() ? W.submit_waiting : (pendingFor().length ? W.draft : (W[sheet.state] || sheet.state)) + waiting;
    $("pending").textContent = read(OUTBOX, []).length;
    $("net").textContent = navigator.onLine ? W.online : W.offline;
    $("status").classList.toggle("offline", !navigator.onLine);
    const counted = A ? fields.filter((el) => !el.closest("fieldset[hidden]")) : fields;   // the attempt shown
    $("subtotal").textContent = M.subtotal(counted, sheet.marks, ctx.better === "lower", W) ?? "—";
    if (blocked && !wrong) { blocked = false; $("message").textContent = ""; }
    else if (blocked) $("message").textContent = M.fill(W.marks_invalid, wrong);
    $("elsewhere").classList.toggle("open", elsewhere);
    $("returned").classList.toggle("open", sheet.state === "returned" && !!sheet.reason);
    $("returned-reason").textContent = sheet.reason || "";
  }

  // nothing goes out while a mark is not valid: say how many, and take the judge to the first
  function ready() {
    const wrong = fields.filter((el) => why(el));
    if (!wrong.length) return true;
    blocked = true; show();
    wrong[0].scrollIntoView({ block: "start" }); wrong[0].focus({ preventScroll: true });
    return false;
  }

  // keep what the box shows, as it shows it (an empty box is "not marked")
  function keep(el) {
    const value = el.type === "checkbox" ? (el.checked ? "1" : "") : el.value;
    if (value.trim() === "") delete sheet.marks[el.name]; else sheet.marks[el.name] = value;
    delete serverWhy[el.name];
    save(); show();
  }
  for (const el of fields) {
    if (el.tagName === "INPUT" && el.type === "text") el.addEventListener("input", () => keep(el));
    el.addEventListener("change", () => {
      if (el.dataset.input === "veto" && el.checked && !confirm(W.veto)) el.checked = false;
      if (el.type === "text") el.value = M.canonical(el.value);   // as the server keeps it: " +12 " is 12
      keep(el);
    });
  }
  for (const el of document.querySelectorAll("[data-note]")) el.addEventListener("input", () => {
    sheet.notes = sheet.notes || {};
    if (el.value.trim()) sheet.notes[el.dataset.note] = el.value.trim(); else delete sheet.notes[el.dataset.note];
    save();
  });
  for (const b of document.querySelectorAll(".step")) b.addEventListener("click", () => {
    const el = $(b.dataset.for);
    el.value = M.stepped(el, el.value, Number(b.dataset.dir));
    keep(el);
  });

  // --- the stopwatch of a judge-timed criterion: start, stop, laps; its state is kept on the
  // device, so a reload while it runs loses nothing. Stopping (or picking a lap) fills the field,
  // which stays editable.
  const clock = (ms) => `${Math.floor(ms / 1000)}.${String(Math.floor((ms % 1000) / 10)).padStart(2, "0")}`;
  for (const box of document.querySelectorAll("[data-watch]")) {
    const key = box.dataset.watch, store = `watch:${ctx.judge}:${ctx.round}:${ctx.entry}:${key}`;
    const input = $(`m-${key}`), start = box.querySelector(".sw-start");
    let w = read(store, { started: null, elapsed: 0, laps: [] });
    const now = () => w.elapsed + (w.started ? Date.now() - w.started : 0);
    const use = (ms) => { input.value = clock(ms); keep(input); };
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

  // --- the outbox: requests wait here until the server has answered them
  // Successive drafts of one sheet: a draft not yet tried gives way to the newer one, in its
  // place. Never a submission, a request sent once (its retry must stay byte for byte the same)
  // or another sheet's request: each of those stays until the server has answered it.
  function collapse(outbox, item) {
    const at = outbox.map((entry) => entry.sheet).lastIndexOf(item.sheet);
    const last = outbox[at];
    if (item.body.action === "save" && last && last.body.action === "save" && last.body.base_version === undefined) {
      return outbox.map((entry, i) => (i === at ? item : entry));
    }
    return [...outbox, item];
  }
  function enqueue(action) {
    if (!ready()) return false;
    for (const el of fields) if (el.type === "text" && sheet.marks[el.name] !== undefined) sheet.marks[el.name] = M.canonical(sheet.marks[el.name]);
    save();
    const item = { url: URL_, sheet: SHEET, body: { action, client_id: newId(), marks: A ? A.marks(sheet) : { ...sheet.marks },
      notes: { ...(sheet.notes || {}) }, device } };
    write(OUTBOX, collapse(read(OUTBOX, []), item)); show(); flush();
    return true;
  }
  // a sheet's copy after the server answered: this page's own in memory, another's on the device
  function settle(key, changes) {
    if (key === SHEET) { Object.assign(sheet, changes); save(); return; }
    const copy = read(key, null);
    if (copy) write(key, Object.assign(copy, changes));
  }

  // whether another device holds this sheet (asking ties nothing), and, while a submitted sheet
  // waits with nothing of it in the outbox, whether the chief judge returned or corrected it
  const ELSEWHERE = "urn:scoring:problem:sheet-on-another-device";
  async function recheck() {
    if (!navigator.onLine) return;
    try {
      const response = await fetch(`${URL_}?device=${encodeURIComponent(device)}`, { credentials: "same-origin" });
      if (!response.ok) return;
      const data = await response.json();
      const was = elsewhere;
      elsewhere = !!data.elsewhere;
      if (A && data.parameters) A.params(data.parameters);   // the desk may have changed a DD
      if (sheet.state === "submitted" && data.version > sheet.version && !pendingFor().length) {
        sheet = { version: data.version, state: data.state, marks: { ...data.marks }, notes: { ...data.notes },
          reason: data.reason, held: { ...data.marks } };
        save();
      }
      show();
      if (was && !elsewhere) flush();
    } catch (e) { /* offline: ask again later */ }
  }
  setInterval(() => { if (elsewhere || A || (sheet.state === "submitted" && !pendingFor().length)) recheck(); }, 10000);

  let busy = false, delay = 1000, timer = null;
  async function flush() {
    if (busy) return;
    busy = true;
    const held = new Set();  // sheets held by another device: their requests wait, the others go
    try {
      for (;;) {
        const outbox = read(OUTBOX, []);
        const item = outbox.find((entry) => !held.has(entry.sheet));
        if (!item) { delay = 1000; break; }
        if (!navigator.onLine) break;     // nothing leaves, so drafts stay untried and collapse; "online" sends
        if (item.body.base_version === undefined) {   // fixed at the first try, so retries are identical
          item.body.base_version = (item.sheet === SHEET ? sheet : read(item.sheet, {})).version ?? 0;
          write(OUTBOX, outbox);
        }
        let response;
        try {
          $("message").textContent = W.sending;
          response = await fetch(item.url, { method: "PUT", headers: { "content-type": "application/json" },
            body: JSON.stringify(item.body), credentials: "same-origin" });
        } catch (e) { response = null; }
        $("message").textContent = "";
        if (!response || response.status >= 500) {    // no answer: try again later
          timer = setTimeout(flush, delay); delay = Math.min(delay * 2, 30000); break;
        }
        const data = await response.json().catch(() => ({}));
        if (response.status === 401 || response.status === 403) { $("message").textContent = W.signin; break; }
        if (response.status === 409 && data.type === ELSEWHERE) {  // kept in the outbox until released
          held.add(item.sheet);
          if (item.sheet === SHEET) elsewhere = true;
          continue;
        }
        write(OUTBOX, read(OUTBOX, []).filter((entry) => entry.body.client_id !== item.body.client_id));
        if (response.ok) {
          settle(item.sheet, { version: data.version, state: data.state, reason: data.reason, held: { ...data.marks } });
          if (A && item.sheet === SHEET) recheck();   // on to the next attempt: its parameters as they are now
        } else if (response.status === 409 && data.current) {
          const c = data.current;   // the newest version is loaded, as the message says: the form shows what is stored
          settle(item.sheet, { version: c.version, state: c.state, reason: c.reason, marks: { ...c.marks }, notes: { ...c.notes }, held: { ...c.marks } });
          $("message").textContent = W.stale;
        } else {
          const problems = data.problems || [];
          if (item.sheet === SHEET) serverWhy = Object.fromEntries(problems.map((p) => [p.field, p[ctx.lang] || p.en]));
          const said = problems.map((p) => `${p.field}: ${p[ctx.lang] || p.en}`).join("; ");
          $("message").textContent = `${W.rejected}: ` + (said || data[ctx.lang] || data.detail || "");
        }
      }
    } finally { busy = false; show(); }
  }

  $("save").addEventListener("click", () => enqueue("save"));
  $("review").addEventListener("click", () => {
    if (!ready()) return;
    // the marks as kept, in the words the form shows them; built from text nodes only, so a
    // criterion's title or a mark is never read as HTML
    const rows = [...document.querySelectorAll(".crit[data-key]")].filter((c) => !c.closest("fieldset[hidden]")).map((c) => {
      const key = c.dataset.key, el = $(`m-${key}`), v = sheet.marks[key];
      let shown = v ?? W.unmarked;
      if (v !== undefined && el.tagName === "SELECT") shown = [...el.options].find((o) => o.value === v)?.textContent ?? v;
      if (el.type === "checkbox") shown = v === "1" ? W.vetoed : W.unmarked;
      const row = document.createElement("tr");
      for (const text of [c.querySelector("label").childNodes[0].textContent.trim(), shown]) {
        const cell = document.createElement("td"); cell.textContent = text; row.appendChild(cell);
      }
      row.lastChild.dataset.key = key;
      return row;
    });
    $("summary-table").replaceChildren(...rows);
    $("summary").classList.add("open"); $("summary").scrollIntoView();
  });
  window.addEventListener("attempt-pick", (event) => { A?.pick(event.detail, sheet); show(); });
  $("cancel").addEventListener("click", () => $("summary").classList.remove("open"));
  $("confirm").addEventListener("click", () => { $("summary").classList.remove("open"); enqueue("submit"); });

  // the status bar stays in view; whatever is scrolled to (a field, the first wrong mark) lands below it
  const pad = () => { document.documentElement.style.scrollPaddingTop = `${$("status").offsetHeight + 12}px`; };
  if (window.ResizeObserver) new ResizeObserver(pad).observe($("status"));
  pad();

  window.addEventListener("online", () => { clearTimeout(timer); delay = 1000; show(); recheck(); flush(); });
  window.addEventListener("offline", show);
  setInterval(flush, 5000);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/judge/sw.js", { scope: "/judge" })
      .then(() => navigator.serviceWorker.ready)
      .then(() => caches.open("judge-pages-v1"))
      .then((cache) => cache.addAll([location.href, "/judge/sheet.js", "/judge/marks.js", ...(A ? ["/judge/attempts.js"] : [])]))
      .then(() => { window.__pageKept = true; })
      .catch(() => {});
  }
  show(); recheck().then(flush);
})();
