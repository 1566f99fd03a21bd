// The ordering form of a round judged by placing the entries (ordinal judging): per dance, the
// judge taps the entries in order (1st first), or types a place; "=" makes the next tap share
// the place above where the dance allows shared places (1, 2, 2, 4). What a box shows is what the
// device keeps (localStorage, at once, as typed), and the order is checked in place in the
// page's language with the server's rules (scoring/rubrics/placements.py): not a place, a place
// above the number of entries, a shared place the dance refuses, a gap once every entry is
// placed, and, to submit, an entry not placed. Nothing goes out while a problem stands. The whole
// order goes out as one request through an outbox (client id made once, base versions fixed at
// the first try, retried with backoff until the server answers, an untried draft replaced by a
// newer one), so a dropped network loses nothing and a retry is stored once. The server checks
// everything again and stores every entry's sheet, or none.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const ctx = JSON.parse($("ctx").textContent);
  const W = ctx.words, N = ctx.entries.length;
  const KEY = `placements:${ctx.judge}:${ctx.round}`;
  const OUTBOX = `outbox:placements:${ctx.judge}`;
  const URL_ = `/api/judge/placements/${ctx.round}`;
  const read = (k, d) => { try { return JSON.parse(localStorage.getItem(k)) ?? d; } catch (e) { return d; } };
  const write = (k, v) => localStorage.setItem(k, JSON.stringify(v));
  const newId = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`.replace(/\./g, ""));
  const device = read("device", null) || (write("device", `tablet-${newId().slice(0, 8)}`), read("device"));
  const fill = (words, ...args) => args.reduce((w, a) => w.replace("{}", String(a)), words);
  const joined = (labels) => labels.join(ctx.lang === "zh" ? "、" : ", ");
  const OPEN = ["new", "draft", "returned"];

  // the server's sheets as the device keeps them: the places of each dance by entry
  function fromServer(sheets) {
    const state = { marks: {}, versions: {}, states: {}, reasons: {}, taps: {} };
    for (const d of ctx.dances) { state.marks[d] = {}; state.taps[d] = []; }
    for (const [label, s] of Object.entries(sheets)) {
      state.versions[label] = s.version; state.states[label] = s.state; state.reasons[label] = s.reason || "";
      for (const d of ctx.dances) if (s.marks[d] !== undefined) state.marks[d][label] = s.marks[d];
    }
    return state;
  }
  // the device's copy, unless the server has moved on (the chief judge returned or locked a sheet)
  let state = read(KEY, null);
  const moved = (sheets) => !state || Object.entries(sheets).some(([l, s]) => s.version > (state.versions[l] ?? 0));
  if (moved(ctx.sheets) || !state.marks) state = fromServer(ctx.sheets);
  const keep = () => write(KEY, state);
  let elsewhere = false, blocked = false;   // blocked: the judge tried to send ("save" or "submit") with a problem
  const armed = {};   // per dance: the next tap shares the place above
  const pendingAll = () => read(OUTBOX, []).filter((item) => item.url === URL_);
  const submitting = () => pendingAll().some((item) => item.body.action === "submit");
  const sections = [...document.querySelectorAll("section.dance")];

  // --- the order of one dance checked as the server checks it
  const placeOf = (raw) => (/^\+?[0-9]+$/.test(String(raw).trim()) && Number(raw) >= 1 ? Number(raw) : null);
  function check(dance, ties, toSubmit) {
    const marks = state.marks[dance], boxes = {}, general = [];
    const places = {};
    for (const [label, raw] of Object.entries(marks)) {
      const p = placeOf(raw);
      if (p === null) boxes[label] = fill(W.not_place, raw, N); else places[label] = p;
    }
    const by = {};
    for (const [label, p] of Object.entries(places)) (by[p] = by[p] || []).push(label);
    for (const [p, labels] of Object.entries(by)) {
      if (Number(p) > N) for (const l of labels) boxes[l] = fill(W.place_above, p, N);
      else if (labels.length > 1 && ties !== "allow") {
        const said = fill(W.shared_refused, joined(labels.sort()), p);
        for (const l of labels) boxes[l] = said;
      }
    }
    const unplaced = ctx.entries.filter((l) => marks[l] === undefined);
    if (!Object.keys(boxes).length && !unplaced.length) {   // placed whole: 1..n, no gap
      let expected = 1;
      for (const p of Object.keys(by).map(Number).sort((a, b) => a - b)) {
        if (p !== expected) { general.push(fill(ties === "allow" ? W.place_missing_ties : W.place_missing, expected, N)); break; }
        expected = p + by[p].length;
      }
    }
    if (toSubmit && unplaced.length) general.push(fill(W.unplaced, joined(unplaced)));
    return { boxes, general, unplaced };
  }
  const ordinal = (p) => fill(W.place_n, p);

  function show() {
    const closed = elsewhere || submitting() || !ctx.entries.some((l) => OPEN.includes(state.states[l] ?? "new"));
    let wrong = 0;
    for (const section of sections) {
      const dance = section.dataset.dance, ties = section.dataset.ties, marks = state.marks[dance];
      const found = check(dance, ties, blocked === "submit");
      wrong += Object.keys(found.boxes).length + found.general.length;
      for (const tile of section.querySelectorAll(".entry")) {
        const label = tile.dataset.entry, raw = marks[label], box = tile.querySelector("input.place");
        if (box.value !== (raw ?? "")) box.value = raw ?? "";
        const p = placeOf(raw ?? "");
        tile.querySelector(".badge").textContent = raw === undefined ? "" : (p ? ordinal(p) : "?");
        tile.querySelector(".pick").classList.toggle("placed", raw !== undefined);
        tile.classList.toggle("bad", !!found.boxes[label]);
        box.setAttribute("aria-invalid", found.boxes[label] ? "true" : "false");
        box.title = found.boxes[label] || "";
      }
      const said = [...new Set([...Object.values(found.boxes), ...found.general])];
      section.querySelector(".why").textContent = said.join(ctx.lang === "zh" ? "；" : "; ");
      const placed = ctx.entries.filter((l) => marks[l] !== undefined);
      section.querySelector(".count").textContent = fill(W.placed_n, placed.length, N);
      const above = Math.max(0, ...placed.map((l) => placeOf(marks[l]) || 0));
      section.querySelector(".armed").textContent = armed[dance] && above ? fill(W.tie_armed, above) : "";
      const tie = section.querySelector(".tie");
      if (tie) tie.setAttribute("aria-pressed", armed[dance] ? "true" : "false");
      const order = placed.filter((l) => placeOf(marks[l])).sort((a, b) => placeOf(marks[a]) - placeOf(marks[b]));
      section.querySelector(".drag-hint").hidden = order.length < 2 || closed;
      section.querySelector(".result").replaceChildren(...order.map((label) => {
        const item = document.createElement("li"), strong = document.createElement("strong");
        strong.textContent = String(placeOf(marks[label]));
        item.append(strong, document.createTextNode(` ${label}`));
        item.dataset.entry = label;
        return item;
      }));
      for (const el of section.querySelectorAll("button, input")) el.disabled = closed;
      section.querySelector(".result").dataset.closed = closed ? "1" : "";
    }
    for (const el of [$("save"), $("review")]) el.disabled = closed;
    const states = ctx.entries.map((l) => state.states[l] ?? "new");
    const shown = states.includes("returned") ? "returned" : states.every((s) => s === "locked") ? "locked"
      : states.every((s) => ["submitted", "locked"].includes(s)) ? "submitted" : states.includes("draft") ? "draft" : "new";
    const waiting = pendingAll().length ? ` · ${W.waiting}` : "";
    $("state").textContent = submitting() ? W.submit_waiting : (W[shown] || shown) + waiting;
    $("pending").textContent = read(OUTBOX, []).length;
    $("net").textContent = navigator.onLine ? W.online : W.offline;
    $("status").classList.toggle("offline", !navigator.onLine);
    if (blocked && !wrong) { blocked = false; $("message").textContent = ""; }
    else if (blocked) { $("message").dataset.kind = ""; $("message").textContent = fill(W.order_invalid, wrong); }
    $("elsewhere").classList.toggle("open", elsewhere);
    const returned = ctx.entries.filter((l) => state.states[l] === "returned");
    $("returned").classList.toggle("open", returned.length > 0);
    $("returned-who").textContent = returned.length ? fill(W.sheets_returned, joined(returned)) : "";
    $("returned-reason").textContent = [...new Set(returned.map((l) => state.reasons[l]).filter(Boolean))].join(" / ");
  }

  // --- tapping, typing, undo and clear
  function changed() { keep(); show(); }
  for (const section of sections) {
    const dance = section.dataset.dance, marks = () => state.marks[dance];
    const taps = () => (state.taps[dance] = state.taps[dance] || []);
    section.addEventListener("click", (event) => {
      const pick = event.target.closest("button.pick");
      if (!pick) return;
      const label = pick.dataset.entry;
      if (marks()[label] !== undefined) return;   // placed already: undo or type to change it
      const placed = ctx.entries.filter((l) => marks()[l] !== undefined);
      const above = Math.max(0, ...placed.map((l) => placeOf(marks()[l]) || 0));
      marks()[label] = String(armed[dance] && above ? above : placed.length + 1);
      taps().push(label);
      armed[dance] = false;
      changed();
    });
    for (const box of section.querySelectorAll("input.place")) {
      box.addEventListener("input", () => {
        const label = box.dataset.entry;
        if (box.value.trim() === "") delete marks()[label]; else marks()[label] = box.value;
        changed();
      });
      box.addEventListener("change", () => {   // kept as the server keeps it: " +3 " is 3
        const label = box.dataset.entry;
        if (marks()[label] !== undefined) marks()[label] = marks()[label].trim().replace(/^\+/, "");
        changed();
      });
    }
    section.querySelector(".undo").addEventListener("click", () => {   // the last place off
      const placed = ctx.entries.filter((l) => marks()[l] !== undefined);
      if (!placed.length) return;
      const last = Math.max(...placed.map((l) => placeOf(marks()[l]) || Infinity));
      const candidates = placed.filter((l) => (placeOf(marks()[l]) || Infinity) === last);
      const label = [...taps()].reverse().find((l) => candidates.includes(l)) || candidates[candidates.length - 1];
      delete marks()[label];
      state.taps[dance] = taps().filter((l) => l !== label);
      armed[dance] = false;
      changed();
    });
    section.querySelector(".clear").addEventListener("click", () => {
      if (!Object.keys(marks()).length) return;
      if (!confirm(fill(W.clear_confirm, section.querySelector(".title").textContent))) return;
      state.marks[dance] = {}; state.taps[dance] = []; armed[dance] = false;
      changed();
    });
    section.querySelector(".tie")?.addEventListener("click", () => { armed[dance] = !armed[dance]; show(); });
    dragToReorder(section, dance, marks);
  }

  // --- dragging a place in the list of places: the entry dropped on another takes its position
  // (before it when moved up, after it when moved down) and the places are counted again from 1;
  // entries sharing a place stay together, the one moved shares no more. Pointer events, so a
  // finger drags as a mouse does.
  function dragToReorder(section, dance, marks) {
    const list = section.querySelector(".result");
    let dragged = null, over = null;
    const under = (event) => document.elementFromPoint(event.clientX, event.clientY)?.closest(`section[data-dance="${dance}"] .result li`);
    list.addEventListener("pointerdown", (event) => {
      const item = event.target.closest("li[data-entry]");
      if (!item || list.dataset.closed === "1") return;
      dragged = item.dataset.entry;
      item.classList.add("dragging");
      list.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    list.addEventListener("pointermove", (event) => {
      if (!dragged) return;
      const target = under(event);
      for (const li of list.querySelectorAll("li")) li.classList.toggle("drop", li === target && li.dataset.entry !== dragged);
      over = target ? target.dataset.entry : null;
    });
    const drop = () => {
      const from = dragged, to = over;
      dragged = null; over = null;
      for (const li of list.querySelectorAll("li")) li.classList.remove("dragging", "drop");
      if (!from || !to || from === to) return;
      const places = marks();
      const placed = ctx.entries.filter((l) => placeOf(places[l] ?? ""));
      const groups = [];   // the order as it stands, entries sharing a place together
      for (const label of placed.sort((a, b) => placeOf(places[a]) - placeOf(places[b]))) {
        const last = groups[groups.length - 1];
        if (last && placeOf(places[last[0]]) === placeOf(places[label])) last.push(label); else groups.push([label]);
      }
      const down = placeOf(places[from]) < placeOf(places[to]);
      const rest = groups.map((g) => g.filter((l) => l !== from)).filter((g) => g.length);
      const at = rest.findIndex((g) => g.includes(to));
      rest.splice(down ? at + 1 : at, 0, [from]);
      let next = 1;
      for (const group of rest) { for (const label of group) places[label] = String(next); next += group.length; }
      state.taps[dance] = [];
      changed();
    };
    list.addEventListener("pointerup", drop);
    list.addEventListener("pointercancel", () => { over = null; drop(); });
  }

  // nothing goes out while a problem stands: say how many, and take the judge to the first
  function ready(toSubmit) {
    const bad = sections.find((s) => {
      const found = check(s.dataset.dance, s.dataset.ties, toSubmit);
      return Object.keys(found.boxes).length || found.general.length;
    });
    if (!bad) { blocked = false; return true; }
    blocked = toSubmit ? "submit" : "save"; show();
    bad.scrollIntoView({ block: "start" });
    return false;
  }

  // --- the outbox: the whole order, until the server has answered it
  function collapse(outbox, item) {
    const at = outbox.map((entry) => entry.url).lastIndexOf(item.url);
    const last = outbox[at];
    if (item.body.action === "save" && last && last.body.action === "save" && last.body.base_versions === undefined) {
      return outbox.map((entry, i) => (i === at ? item : entry));
    }
    return [...outbox, item];
  }
  function enqueue(action) {
    if (!ready(action === "submit")) return false;
    const places = {};
    for (const d of ctx.dances) places[d] = { ...state.marks[d] };
    const item = { url: URL_, key: KEY, body: { action, client_id: newId(), places, device } };
    write(OUTBOX, collapse(read(OUTBOX, []), item)); show(); flush();
    return true;
  }
  // the sheets as the server answered: their versions and states, or (the server moved on) all of them
  function settle(sheets, marksToo) {
    if (marksToo) state = fromServer(sheets);
    else {
      for (const [label, s] of Object.entries(sheets)) {
        state.versions[label] = s.version; state.states[label] = s.state; state.reasons[label] = s.reason || "";
      }
    }
    keep();
  }

  const ELSEWHERE = "urn:scoring:problem:sheet-on-another-device";
  const STALE = "urn:scoring:problem:stale-write";
  async function recheck() {
    if (!navigator.onLine) return;
    try {
      const response = await fetch(`${URL_}?device=${encodeURIComponent(device)}`, { credentials: "same-origin" });
      if (!response.ok) return;
      const data = await response.json();
      const was = elsewhere;
      elsewhere = (data.elsewhere || []).length > 0;
      if (!pendingAll().length && moved(data.sheets)) settle(data.sheets, true);
      show();
      if (was && !elsewhere) flush();
      return data;
    } catch (e) { return null; }   // offline: ask again later
  }
  setInterval(() => {
    const waiting = ctx.entries.every((l) => !OPEN.includes(state.states[l] ?? "new")) && !pendingAll().length;
    if (elsewhere || waiting) recheck();
  }, 10000);

  let busy = false, delay = 1000, timer = null;
  function say(text, kind) { $("message").dataset.kind = kind || ""; $("message").textContent = text; }
  async function flush() {
    if (busy) return;
    busy = true;
    try {
      for (;;) {
        const outbox = read(OUTBOX, []);
        const item = outbox.find((entry) => entry.url === URL_);
        if (!item || !navigator.onLine || elsewhere) { if (!item) delay = 1000; break; }
        if (item.body.base_versions === undefined) {   // fixed at the first try, so retries are identical
          item.body.base_versions = Object.fromEntries(ctx.entries.map((l) => [l, state.versions[l] ?? 0]));
          write(OUTBOX, outbox);
        }
        let response;
        try {
          say(W.sending);
          response = await fetch(item.url, { method: "PUT", headers: { "content-type": "application/json" },
            body: JSON.stringify(item.body), credentials: "same-origin" });
        } catch (e) { response = null; }
        say("");
        if (!response || response.status >= 500) {    // no answer: try again later
          timer = setTimeout(flush, delay); delay = Math.min(delay * 2, 30000); break;
        }
        const data = await response.json().catch(() => ({}));
        if (response.status === 401 || response.status === 403) { say(W.signin); break; }
        if (response.status === 409 && data.type === ELSEWHERE) { elsewhere = true; break; }   // kept until released
        write(OUTBOX, read(OUTBOX, []).filter((entry) => entry.body.client_id !== item.body.client_id));
        if (response.ok) {
          settle(data.sheets, false);
          say(item.body.action === "submit" ? W.order_submitted : W.order_saved, "ok");
        } else if (response.status === 409 && data.type === STALE) {
          const now = await recheck();   // the stored order is loaded, as the message says
          if (now) settle(now.sheets, true);
          say(W.stale);
        } else {
          const problems = data.problems || [];
          const said = problems.map((p) => p[ctx.lang] || p.en).join("; ");
          say(`${W.rejected}: ` + (said || data[ctx.lang] || data.detail || ""));
        }
      }
    } finally { busy = false; show(); }
  }

  $("save").addEventListener("click", () => enqueue("save"));
  $("review").addEventListener("click", () => {
    if (!ready(true)) return;
    // the order as kept, in the words the form shows it; text nodes only
    const rows = sections.map((section) => {
      const marks = state.marks[section.dataset.dance];
      const order = [...ctx.entries].sort((a, b) => placeOf(marks[a]) - placeOf(marks[b]));
      const row = document.createElement("tr");
      for (const text of [section.querySelector(".title").textContent, order.map((l) => `${placeOf(marks[l])} ${l}`).join(" · ")]) {
        const cell = document.createElement("td"); cell.textContent = text; row.appendChild(cell);
      }
      row.dataset.dance = section.dataset.dance;
      return row;
    });
    $("summary-table").replaceChildren(...rows);
    $("summary").classList.add("open"); $("summary").scrollIntoView();
  });
  $("cancel").addEventListener("click", () => $("summary").classList.remove("open"));
  $("confirm").addEventListener("click", () => { $("summary").classList.remove("open"); enqueue("submit"); });

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
      .then((cache) => cache.addAll([location.href, "/judge/placements.js"]))
      .then(() => { window.__pageKept = true; })
      .catch(() => {});
  }
  keep(); show(); recheck().then(flush);
})();
