// The officials' desk on a tablet: each entry's values per attempt (a DD, a penalty, an official
// time), kept on the device as typed (localStorage), checked in place in the page's language
// with the tablet's rules (marks.js), and sent per entry, whole, through an outbox: each request
// has a client-made id and, from its first try, a fixed base version, so a retry is the same
// request and the server stores it once. No answer means try again with backoff; 409 loads the
// stored values (or says the round is locked); 422 says in place what the server refused. An
// entry holding a value that is not valid is not sent. A stopwatch button times an official time
// and fills its box. The server checks everything again.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const M = window.JudgeMarks;
  const ctx = JSON.parse($("ctx").textContent);
  const W = ctx.words;
  const KEEP = `desk:${ctx.judge}:${ctx.round}`, OUTBOX = `deskout:${ctx.judge}`;
  const read = (k, d) => { try { return JSON.parse(localStorage.getItem(k)) ?? d; } catch (e) { return d; } };
  const write = (k, v) => localStorage.setItem(k, JSON.stringify(v));
  const newId = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`.replace(/\./g, ""));
  const url = (entry) => `/api/chief/rounds/${ctx.round}/desk/${encodeURIComponent(entry)}`;

  // the device's copy of each entry, unless the server holds a newer version
  const kept = read(KEEP, {});
  for (const e of ctx.entries) {
    const mine = kept[e.entry];
    if (!mine || e.version > mine.version) kept[e.entry] = { version: e.version, values: { ...e.values } };
  }
  write(KEEP, kept);
  const inputs = [...document.querySelectorAll("input.value")];
  const serverWhy = {};             // entry|key -> what the server said
  let closed = !ctx.open;
  const why = (el) => M.why(el, kept[el.dataset.entry].values[el.name], W) || serverWhy[`${el.dataset.entry}|${el.name}`] || "";
  const pending = () => read(OUTBOX, []).filter((item) => item.round === ctx.round);

  function show() {
    let wrong = 0;
    for (const el of inputs) {
      const v = kept[el.dataset.entry].values[el.name] ?? "";
      if (el.value !== v && document.activeElement !== el) el.value = v;
      const problem = why(el);
      if (problem) wrong += 1;
      el.setAttribute("aria-invalid", problem ? "true" : "false");
      el.parentElement.querySelector(".why").textContent = problem;
      el.disabled = closed;
    }
    for (const b of document.querySelectorAll("button.watch")) b.disabled = closed;
    const waiting = new Set(pending().map((item) => item.entry));
    for (const cell of document.querySelectorAll("[data-state]")) {
      const entry = cell.dataset.state;
      cell.textContent = waiting.has(entry) ? `v${kept[entry].version} · ${W.waiting}` : `v${kept[entry].version}`;
      cell.classList.toggle("waiting", waiting.has(entry));
    }
    $("pending").textContent = pending().length;
    $("net").textContent = navigator.onLine ? W.online : W.offline;
    $("status").classList.toggle("offline", !navigator.onLine);
    const message = $("message");   // a refusal stays until it is dealt with; "saved" is said in green
    if (closed) Object.assign(message, { textContent: W.closed }).dataset.kind = "closed";
    else if (wrong) Object.assign(message, { textContent: M.fill(W.values_invalid, wrong) }).dataset.kind = "invalid";
    else if (message.dataset.kind === "invalid") Object.assign(message, { textContent: "" }).dataset.kind = "";
  }

  function keep(el) {
    const values = kept[el.dataset.entry].values;
    if (el.value.trim() === "") delete values[el.name]; else values[el.name] = el.value;
    delete serverWhy[`${el.dataset.entry}|${el.name}`];
    write(KEEP, kept); show();
  }
  // an entry goes out whole once every value of it is valid; an untried request of the same
  // entry gives way to the newer one, in its place
  function enqueue(entry) {
    if (inputs.some((el) => el.dataset.entry === entry && why(el))) return;
    const item = { round: ctx.round, entry, url: url(entry), body: { client_id: newId(), values: { ...kept[entry].values } } };
    const outbox = read(OUTBOX, []);
    const at = outbox.map((o) => o.url).lastIndexOf(item.url);
    if (at >= 0 && outbox[at].body.base_version === undefined) outbox[at] = item; else outbox.push(item);
    write(OUTBOX, outbox); show(); flush();
  }
  for (const el of inputs) {
    el.addEventListener("input", () => keep(el));
    el.addEventListener("change", () => { el.value = M.canonical(el.value); keep(el); enqueue(el.dataset.entry); });
  }

  // an official's stopwatch: start, stop; stopping fills the box (which stays editable)
  const clock = (ms) => `${Math.floor(ms / 1000)}.${String(Math.floor((ms % 1000) / 10)).padStart(2, "0")}`;
  for (const button of document.querySelectorAll("button.watch")) {
    const store = `deskwatch:${ctx.round}:${button.dataset.for}`;
    const [entry, key] = button.dataset.for.split("|");
    const input = inputs.find((el) => el.dataset.entry === entry && el.name === key);
    const paint = () => {
      const started = read(store, null);
      button.classList.toggle("running", !!started);
      button.textContent = started ? `${W.stop} ${clock(Date.now() - started)}` : W.start;
      if (started) requestAnimationFrame(paint);
    };
    button.addEventListener("click", () => {
      const started = read(store, null);
      if (started) {
        localStorage.removeItem(store);
        input.value = clock(Date.now() - started); keep(input); enqueue(entry);
      } else write(store, Date.now());
      paint();
    });
    paint();
  }

  let busy = false, delay = 1000, timer = null;
  async function flush() {
    if (busy) return;
    busy = true;
    try {
      for (;;) {
        const outbox = read(OUTBOX, []);
        const item = outbox.find((o) => o.round === ctx.round);
        if (!item || !navigator.onLine) { if (!item) delay = 1000; break; }
        if (item.body.base_version === undefined) {   // fixed at the first try: a retry is the same request
          item.body.base_version = kept[item.entry].version;
          write(OUTBOX, outbox);
        }
        let response;
        try {
          response = await fetch(item.url, { method: "PUT", headers: { "content-type": "application/json" },
            body: JSON.stringify(item.body), credentials: "same-origin" });
        } catch (e) { response = null; }
        if (!response || response.status >= 500) { timer = setTimeout(flush, delay); delay = Math.min(delay * 2, 30000); break; }
        const data = await response.json().catch(() => ({}));
        if (response.status === 401 || response.status === 403) { $("message").textContent = W.signin; break; }
        write(OUTBOX, read(OUTBOX, []).filter((o) => o.body.client_id !== item.body.client_id));
        const mine = kept[item.entry];
        if (response.ok) {
          mine.version = data.version;
          Object.assign($("message"), { textContent: `${item.entry}: ${M.fill(W.saved, data.version)}` }).dataset.kind = "ok";
        } else if (response.status === 409 && data.current) {   // stale: the stored values are loaded
          kept[item.entry] = { version: data.current.version, values: { ...data.current.values } };
          Object.assign($("message"), { textContent: `${item.entry}: ${W.stale_values}` }).dataset.kind = "stale";
        } else if (response.status === 409) {
          closed = true;
        } else {
          for (const p of data.problems || []) serverWhy[`${item.entry}|${p.field}`] = p[ctx.lang] || p.en;
          Object.assign($("message"), { textContent: `${W.rejected}: ${item.entry}` }).dataset.kind = "rejected";
        }
        write(KEEP, kept);
      }
    } finally { busy = false; show(); }
  }

  window.addEventListener("online", () => { clearTimeout(timer); delay = 1000; show(); flush(); });
  window.addEventListener("offline", show);
  setInterval(flush, 5000);
  show(); flush();
})();
