// The chief judge's console. The page is rendered by the server; this script keeps it live:
// a WebSocket tells it when a sheet of the round changes (the message carries no marks), and
// it then fetches the page again and swaps in the fresh part, keeping open the entries' results
// the chief opened and tables scrolled sideways (on a phone) where they were. If the socket
// drops it reconnects with backoff and, meanwhile, fetches every 15 s. Actions (return,
// correct, type in one paper sheet, release a device, lock the round after a confirmation,
// type in paper sheets in bulk) go to /api/chief; the server checks every one. For a rubric
// with attempts the matrix shows the attempt picked (kept in the address across refreshes). Once the round
// is no longer open, the controls that would write are disabled and say why. A refusal is
// said in the page's language only.
(function () {
  "use strict";
  const ctx = JSON.parse(document.getElementById("ctx").textContent);
  const W = ctx.words;
  const $ = (id) => document.getElementById(id);
  const newId = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`.replace(/\./g, ""));
  const titles = Object.fromEntries(ctx.criteria.map((c) => [c.key, c.title]));
  const fieldName = (field) => W.fields[field] || titles[field] || titles[String(field).split("/").pop()] || "";
  const side = (text) => {  // "中文 / English" (a detail with both) -> the page's half
    const [zh, en] = String(text || "").split(" / ");
    return en === undefined ? text : (ctx.lang === "zh" ? zh : en);
  };
  const say = (problem) => {
    const lines = (problem.problems || []).filter((p) => p[ctx.lang]).map((p) =>
      `${p.row ? `${W.row} ${p.row}: ` : ""}${p.field && fieldName(p.field) ? fieldName(p.field) + ": " : ""}${p[ctx.lang]}`);
    const detail = problem[ctx.lang] || side(problem.detail);
    return [detail, ...lines].filter(Boolean).join("\n");
  };
  async function call(method, url, body, isForm) {
    const options = { method, credentials: "same-origin" };
    if (isForm) options.body = body;
    else if (body !== undefined) { options.headers = { "content-type": "application/json" }; options.body = JSON.stringify(body); }
    const response = await fetch(url, options);
    const data = await response.json().catch(() => ({}));
    return { ok: response.ok, status: response.status, data };
  }

  // --- keeping the page fresh ---------------------------------------------------------------
  // an entry's working (every judge's marks) is written by the server for the entries opened only:
  // the page asks for them by name (?open=s01&open=s02), and again when the chief opens another
  let pending = null, fetching = false, asked = new Set();
  const openEntries = () => new Set([...document.querySelectorAll("#results details[open]")].map((d) => d.dataset.entry));
  async function refresh() {
    if (fetching) { pending = pending || setTimeout(() => { pending = null; refresh(); }, 300); return; }
    fetching = true;
    try {
      const url = new URL(location.href);
      asked = openEntries();
      for (const entry of asked) url.searchParams.append("open", entry);
      const response = await fetch(url.pathname + url.search, { credentials: "same-origin" });
      if (!response.ok) return;
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html").getElementById("live");
      // what the chief opened and how far a table was scrolled sideways (a phone) stay as they were
      const opened = openEntries();
      const scrolled = [...document.querySelectorAll("#live .matrix, #live .scroll")].map((el) => el.scrollLeft);
      if (fresh) $("live").replaceChildren(...fresh.childNodes);
      for (const d of document.querySelectorAll("#results details")) if (opened.has(d.dataset.entry)) d.open = true;
      document.querySelectorAll("#live .matrix, #live .scroll").forEach((el, i) => { el.scrollLeft = scrolled[i] || 0; });
      showClosed();
      $("updated").textContent = new Date().toTimeString().slice(0, 8);
      document.body.dataset.refreshes = String(Number(document.body.dataset.refreshes || 0) + 1);  // caught up
    } catch (e) { /* the next message or poll tries again */ } finally { fetching = false; }
  }
  const soon = () => { if (!pending) pending = setTimeout(() => { pending = null; refresh(); }, 200); };
  // opening an entry whose working the page has not got asks for it (once: an entry the server
  // wrote none for is not asked again until the next refresh)
  $("live").addEventListener("toggle", (event) => {
    const d = event.target;
    if (d.matches && d.matches("#results details[open]") && d.dataset.working === "later" && !asked.has(d.dataset.entry)) {
      asked.add(d.dataset.entry); refresh();
    }
  }, true);

  let delay = 1000, poll = null;
  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/api/chief/rounds/${ctx.round}/live`);
    socket.onopen = () => {
      delay = 1000; clearInterval(poll); poll = null;
      $("bar").classList.add("live"); $("live-state").textContent = W.live_on;
      soon();  // catch up on anything missed while disconnected
    };
    socket.onmessage = (event) => { try { if (JSON.parse(event.data).type !== "hello") soon(); } catch (e) { soon(); } };
    socket.onclose = () => {
      $("bar").classList.remove("live"); $("live-state").textContent = W.live_off;
      if (!poll) poll = setInterval(refresh, 15000);
      setTimeout(connect, delay); delay = Math.min(delay * 2, 30000);
    };
  }
  connect();

  // --- one sheet: read it, return it, correct it, release its device -------------------------
  let open = null;  // {entry, judge, version, marks}
  const sheetUrl = (s) => `/api/chief/sheets/${ctx.round}/${encodeURIComponent(s.entry)}/${encodeURIComponent(s.judge)}`;
  async function openSheet(entry, judge) {
    const { ok, data } = await call("GET", sheetUrl({ entry, judge }));
    if (!ok) { $("panel-message").textContent = say(data); return; }
    open = { entry, judge, version: data.version, marks: data.marks };
    const key = document.createElement("span");  // the judge by name, the key small beside
    key.className = "key"; key.textContent = judge;
    $("panel-title").replaceChildren(`${W.sheet} ${entry} · ${ctx.names[judge] || judge} `, key);
    $("panel-meta").textContent = `${W[data.state] || data.state} · ${W.version} ${data.version}` +
      (data.device ? ` · ${W.device}: ${data.device}` : "");
    $("panel-marks").replaceChildren(...ctx.criteria.map((c) => {  // text nodes only, never HTML
      const row = document.createElement("tr"), name = document.createElement("td"), cell = document.createElement("td");
      const label = document.createElement("label"), input = document.createElement("input");
      label.htmlFor = `fix-${c.key}`; label.textContent = c.title;
      Object.assign(input, { type: "text", id: `fix-${c.key}`, inputMode: "decimal", placeholder: W.not_marked });
      input.dataset.key = c.key;
      name.appendChild(label); cell.appendChild(input); row.append(name, cell);
      return row;
    }));
    for (const c of ctx.criteria) $(`fix-${c.key}`).value = data.marks[c.key] ?? "";
    $("panel-reason").value = ""; $("panel-message").textContent = "";
    $("panel").classList.add("open"); $("panel").scrollIntoView({ block: "nearest" });
  }
  $("live").addEventListener("click", (event) => {
    // a rubric with attempts: the matrix shows one attempt's marks (or the sheets' states); the
    // choice lives in the address, so every live refresh renders the same attempt
    const pick = event.target.closest("#attempt-pick a");
    if (pick) {
      event.preventDefault();
      const query = new URLSearchParams(location.search);
      query.set("attempt", pick.dataset.attempt);
      history.replaceState(null, "", `${location.pathname}?${query}`);
      refresh();
      return;
    }
    const cell = event.target.closest(".cell");
    if (cell) openSheet(cell.dataset.entry, cell.dataset.judge);
  });
  $("panel-reason").addEventListener("input", () => { $("panel-message").textContent = ""; });
  $("do-close").addEventListener("click", () => { $("panel").classList.remove("open"); open = null; });
  async function act(kind) {
    if (!open) return;
    const reason = $("panel-reason").value.trim();
    if (!reason && kind !== "transcribe") { $("panel-message").textContent = W.reason_needed; $("panel-reason").focus(); return; }
    let result;
    if (kind === "release") result = await call("POST", `${sheetUrl(open)}/release`, { reason });
    else {
      const body = { action: kind, base_version: open.version, client_id: newId(), reason };
      if (kind === "correct" || kind === "transcribe") {
        body.marks = {};
        for (const el of document.querySelectorAll("#panel-marks input")) if (el.value.trim()) body.marks[el.dataset.key] = el.value.trim();
      }
      result = await call("POST", sheetUrl(open), body);
    }
    if (!result.ok) { $("panel-message").textContent = say(result.data); return; }
    await openSheet(open.entry, open.judge);
    $("panel-message").textContent = W.done;
    soon();
  }
  $("do-return").addEventListener("click", () => act("return"));
  $("do-correct").addEventListener("click", () => act("correct"));
  $("do-release").addEventListener("click", () => act("release"));
  $("do-transcribe").addEventListener("click", () => act("transcribe"));

  // --- the round ---------------------------------------------------------------------------
  // A round that is no longer open takes no writes: the lock, the upload and the sheet's actions
  // are disabled and say so (the server refuses them anyway).
  function showClosed() {
    const closed = $("publication").dataset.state !== "open";
    const lock = $("lock");
    lock.disabled = closed;
    lock.textContent = closed ? lock.dataset.closed : lock.dataset.open;
    $("lock-note").textContent = closed ? $("lock-note").dataset.closed : $("lock-note").dataset.open;
    $("transcribe-fields").disabled = closed;
    $("transcribe-closed").hidden = !closed;
    for (const id of ["do-return", "do-correct", "do-transcribe", "do-release"]) $(id).disabled = closed;
    if (closed) $("lock-confirm").classList.remove("open");
  }
  $("lock").addEventListener("click", () => {  // ask first: locking is the chief's last word on the sheets
    const submitted = document.querySelector("[data-count=submitted]");
    $("lock-question").textContent = W.lock_confirm.replace("{}", submitted ? submitted.textContent : "0");
    $("lock-message").textContent = "";
    $("lock-confirm").classList.add("open");
    $("lock-no").focus();
  });
  $("lock-no").addEventListener("click", () => { $("lock-confirm").classList.remove("open"); $("lock").focus(); });
  $("lock-yes").addEventListener("click", async () => {
    $("lock-yes").disabled = true;
    const { ok, data } = await call("POST", `/api/chief/rounds/${ctx.round}/lock`);
    $("lock-yes").disabled = false;
    $("lock-confirm").classList.remove("open");
    $("lock-message").textContent = ok ? `${W.locked_n}: ${data.locked_sheets}` : say(data);
    $("lock-message").style.color = ok ? "var(--ok)" : "var(--bad)";
    if (ok) { $("publication").dataset.state = data.publication; showClosed(); }
    soon();
  });
  showClosed();
  $("upload").addEventListener("click", async () => {
    const file = $("marks-file").files[0];
    if (!file) return;
    const form = new FormData(); form.append("marks", file);
    const { ok, data } = await call("POST", `/api/chief/rounds/${ctx.round}/transcriptions`, form, true);
    const box = $("transcribe-message");
    box.className = ok ? "notice" : "problems";
    box.textContent = ok
      ? `${data.file} · ${W.transcribed_n}: ${data.transcribed}` + (data.already_transcribed ? ` · ${W.already_n}: ${data.already_transcribed}` : "")
      : say(data);
    box.style.whiteSpace = "pre-line";
    soon();
  });
})();
