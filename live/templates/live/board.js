// The live boards' client (docs/live-protocol.md, version 1): the phone board, the big screen
// and the quiz screen run this one script. It paints the board from board.json, then follows
// the WebSocket: a snapshot replaces the board; an update is applied only when its `prev` is the
// seq held (its sections replace whole top-level sections), else it reconnects with ?since=held.
// It reconnects by itself with backoff (1, 2, 4 ... 30 s), and when it has heard nothing for 40 s;
// it stops on 4404 and 4403 and says why. The page says "not live" whenever the socket is not
// open. Every text is put in with text nodes; scores are shown as the exact text the board has.
(function () {
  "use strict";
  const ctx = JSON.parse(document.getElementById("ctx").textContent);
  const W = ctx.words;
  const lang = ctx.lang;
  const $ = (id) => document.getElementById(id);
  const named = (n) => (n && (n[lang] || n.zh || n.en)) || "";
  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  const clock = (iso) => {
    const at = new Date(iso || "");
    return isNaN(at) ? "" : at.toTimeString().slice(0, 5);
  };
  const params = new URLSearchParams(location.search);
  let boardName = ctx.board;

  // --- the protocol ---------------------------------------------------------------------------
  const HEARD_WITHIN = 40000;
  const state = { seq: null, board: null };
  let socket = null, generation = 0, delay = 1000, lastHeard = Date.now(), stopped = false, retry = null;

  function say(kind, text) {
    const box = $("live-state");
    box.className = "state " + kind;
    document.body.dataset.live = kind;  // for scripts and tests: live, down or stopped
    box.querySelector(".text").textContent = text;
  }

  function apply(message) {
    if (message.type === "snapshot") {
      state.board = message.board;
      state.seq = message.seq;
      render();
    } else if (message.type === "update") {
      if (state.board === null || message.prev !== state.seq) {
        reconnect(0);  // something was missed: resume from what is held
        return;
      }
      Object.assign(state.board, message.board || {});
      state.seq = message.seq;
      render();
    }
  }

  function connect() {
    retry = null;
    if (stopped) return;
    const mine = ++generation;
    const query = new URLSearchParams({ view: ctx.view });
    if (state.seq !== null) query.set("since", String(state.seq));
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}/live/${encodeURIComponent(ctx.key)}/ws?${query}`);
    lastHeard = Date.now();
    socket.onopen = () => { if (mine === generation) { lastHeard = Date.now(); say("live", W.live_on_air); } };
    socket.onmessage = (event) => {
      if (mine !== generation) return;
      lastHeard = Date.now();
      delay = 1000;
      let message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      apply(message);
    };
    socket.onclose = (event) => {
      if (mine !== generation) return;
      socket = null;
      if (event.code === 4404 || event.code === 4403) {
        stopped = true;
        say("stopped", event.code === 4404 ? W.live_gone : W.live_refused);
        return;
      }
      say("down", W.live_not_live);
      reconnect(delay);
      delay = Math.min(delay * 2, 30000);
    };
  }

  function reconnect(wait) {
    generation++;  // the old socket's events are ignored from now on
    if (socket) { try { socket.close(1000); } catch (e) { /* closed already */ } socket = null; }
    if (!stopped) say("down", W.live_not_live);
    clearTimeout(retry);
    retry = setTimeout(connect, wait);
  }

  setInterval(() => {  // the watchdog: a stream that says nothing for 40 s is dead
    if (socket && Date.now() - lastHeard > HEARD_WITHIN) reconnect(0);
  }, 5000);

  async function firstPaint() {
    try {
      const response = await fetch(`/live/${encodeURIComponent(ctx.key)}/board.json?view=${ctx.view}`, { credentials: "same-origin" });
      if (response.ok && state.seq === null) {
        const found = await response.json();
        if (state.seq === null) apply({ type: "snapshot", seq: found.seq, board: found.board });
      }
    } catch (e) { /* the socket brings the board */ }
    connect();
  }

  // --- which part of the board ----------------------------------------------------------------
  function part(board) {
    const [kind, which] = boardName.split(":");
    if (kind === "overall") return { title: named(board.overall.title), rows: board.overall.rows, partial: board.overall.partial };
    if (kind === "individuals") return { title: W.live_individuals, rows: board.individuals };
    if (kind === "units") return { title: W.live_units, rows: board.units };
    if (kind === "event") {
      const found = board.events.find((e) => e.key === which);
      return found ? { title: named(found.title), rows: found.rows } : null;
    }
    if (kind === "round") {
      const found = board.rounds.find((r) => String(r.id) === which);
      return found ? { title: named(found.title), rows: found.rows } : null;
    }
    if (kind === "quiz") {
      const found = board.quiz.find((q) => String(q.round) === which);
      if (!found) return { title: W.live_quiz, rows: [], quiz: null };
      const rows = found.teams.map((t) => ({ entry: t.team, name: t.name, place: t.place, score: t.score, pending: !!t.pending }));
      return { title: named(found.title), rows, quiz: found };
    }
    return null;
  }

  // --- rows, kept by entry so that a change of place slides (FLIP) -----------------------------
  const rowNodes = new Map();
  const shown = new Map();  // entry -> "place|score|pending" last painted
  let page = 0, pages = 1, pageTimer = null;

  function rowNode(row) {
    let node = rowNodes.get(row.entry);
    if (!node) {
      node = el("div", "row");
      node.dataset.entry = row.entry;
      const who = el("span", "who");
      who.append(el("span", "name"), el("span", "unit"));
      node.append(el("span", "place num"), who, el("span", "award"), el("span", "score num"));
      rowNodes.set(row.entry, node);
    }
    const pending = !!row.pending;
    node.querySelector(".place").textContent = pending ? "" : row.place;
    node.querySelector(".name").textContent = named(row.name);
    node.querySelector(".unit").textContent = named(row.unit);
    node.querySelector(".award").textContent = pending ? "" : named(row.award);
    node.querySelector(".score").textContent = pending ? W.live_pending : (row.score || "–");
    node.classList.toggle("pending", pending);
    node.classList.toggle("top", !pending && /^=?1$/.test(row.place || ""));
    const current = state.board.status && state.board.status.reveal && state.board.status.reveal.current;
    node.classList.toggle("current", !!current && current === row.entry);
    return node;
  }

  function perPage(box) {
    if (ctx.mode === "phone") return Infinity;
    const probe = box.firstElementChild;
    const height = probe ? probe.getBoundingClientRect().height : 0;
    return height > 0 ? Math.max(1, Math.floor(box.clientHeight / height)) : 12;
  }

  function paintRows(rows) {
    const box = $("rows");
    const before = new Map();
    for (const [entry, node] of rowNodes) if (node.isConnected) before.set(entry, node.getBoundingClientRect().top);
    if (!rows.length) {
      box.replaceChildren(el("div", "empty", W.live_no_rows));
      setPager(1);
      return;
    }
    if (!box.querySelector(".row")) box.replaceChildren(rowNode(rows[0]));  // measure one row first
    const size = perPage(box);
    const current = state.board.status && state.board.status.reveal && state.board.status.reveal.current;
    const at = current ? rows.findIndex((r) => r.entry === current) : -1;
    if (at >= 0 && size !== Infinity) page = Math.floor(at / size);  // the ceremony shows its row
    setPager(Math.ceil(rows.length / size));
    const visible = size === Infinity ? rows : rows.slice(page * size, page * size + size);
    const nodes = visible.map(rowNode);
    box.replaceChildren(...nodes);
    visible.forEach((row, i) => {
      const node = nodes[i];
      const now = `${row.place}|${row.score}|${!!row.pending}`;
      const was = shown.get(row.entry);
      shown.set(row.entry, now);
      if (was !== undefined && was !== now && !row.pending) {  // a brief highlight of what moved
        node.classList.remove("changed");
        void node.offsetWidth;
        node.classList.add("changed");
      }
      const top = before.get(row.entry);
      if (top === undefined) return;
      const shift = top - node.getBoundingClientRect().top;
      if (!shift) return;
      node.style.transition = "none";  // FLIP: start where it was, then slide to its place
      node.style.transform = `translateY(${shift}px)`;
      requestAnimationFrame(() => requestAnimationFrame(() => {
        node.style.transition = "transform 900ms ease";
        node.style.transform = "";
      }));
    });
  }

  function setPager(count) {
    pages = Math.max(1, count);
    if (page >= pages) page = 0;
    const pager = $("pager");
    if (pager) pager.textContent = pages > 1 ? `${W.live_page} ${page + 1} / ${pages}` : "";
    if (pages > 1 && !pageTimer) pageTimer = setInterval(() => { page = (page + 1) % pages; render(); }, 10000);
    if (pages <= 1 && pageTimer) { clearInterval(pageTimer); pageTimer = null; }
  }

  // --- the rest of the page -------------------------------------------------------------------
  function paintStatus(board) {
    const status = board.status || {};
    const frozen = !!status.frozen;
    $("frozen-badge").classList.toggle("on", frozen);
    const banner = $("frozen-banner");
    banner.classList.toggle("on", frozen);
    banner.textContent = frozen ? `${W.live_frozen} · ${W.live_frozen_since} ${clock(status.frozen_at)}` : "";
    const provisional = board.view === "provisional";
    document.body.classList.toggle("provisional", provisional);
    $("provisional-banner").classList.toggle("on", provisional);
    const badge = $("provisional-badge");
    if (badge) badge.classList.toggle("on", provisional);
  }

  function paintCeremony(board, rows) {
    const box = $("ceremony");
    if (!box) return false;
    const reveal = board.status && board.status.reveal;
    box.hidden = !reveal;
    if (!reveal) { box.replaceChildren(); return false; }
    const parts = [el("h3", "", `${W.live_ceremony} · ${W.live_revealed} ${reveal.step} / ${reveal.of}`)];
    const row = rows.find((r) => r.entry === reveal.current);
    if (row) {
      if (row.award) parts.push(el("div", "award-title big", named(row.award)));
      parts.push(el("div", "big", named(row.name)), el("div", "small", named(row.unit)));
      parts.push(el("div", "mid num", `${W.place} ${row.place} · ${W.score} ${row.score}`));
    }
    box.replaceChildren(...parts);
    return true;
  }

  function label(item) {
    return item ? [item.code, named(item.name)].filter(Boolean).join(" ") : "";
  }

  function paintStage(board) {
    const box = $("stage");
    if (!box) return false;
    const stages = board.stage || [];
    box.replaceChildren(...stages.map((s) => {
      const panel = el("div", ctx.mode === "phone" ? "stage" : "panel");
      panel.append(el("h3", "", `${W.live_on_stage} · ${named(s.title)}`));
      if (s.now) panel.append(el(ctx.mode === "phone" ? "strong" : "div", "big", label(s.now)));
      if (s.next && s.next.length) panel.append(el("div", "small", `${W.live_next}: ${s.next.map(label).join(" · ")}`));
      panel.append(el("div", "small num", `${s.done} / ${s.of}`));
      return panel;
    }));
    return stages.length > 0;
  }

  const QUESTION = { "必答": "compulsory", "抢答": "buzzer", "风险": "risk", "加赛": "extra" };
  const OUTCOME = { "对": "right", "正确": "right", "错": "wrong", "错误": "wrong", "抢跑": "early", "超时": "timeout" };
  const kindWord = (type) => W[`live_q_${QUESTION[type] || type}`] || type || "";
  const outcomeOf = (o) => OUTCOME[o] || o || "";

  function paintQuiz(quiz) {
    const question = $("question"), last = $("last-action");
    if (!question || !last) return;
    const q = quiz && quiz.question;
    const qParts = [el("h3", "", W.live_question)];
    if (q) {
      qParts.push(el("div", "mid", `${W.live_question_no.replace("{}", q.number)} · ${kindWord(q.type)}`));
      if (q.value) qParts.push(el("div", "big num", q.value));
    } else qParts.push(el("div", "small", W.live_no_question));
    question.replaceChildren(...qParts);
    const a = quiz && quiz.last;
    const lParts = [el("h3", "", W.live_last_action)];
    if (a) {
      const outcome = outcomeOf(a.outcome);
      lParts.push(el("div", "mid", named(a.name)));
      lParts.push(el("div", "mid " + (outcome === "right" ? "right" : "wrong"), `${kindWord(a.type)} · ${W[`live_o_${outcome}`] || a.outcome}`));
      if (a.points) lParts.push(el("div", "big num", (a.points.startsWith("-") ? "" : "+") + a.points));
      else if (a.stake) lParts.push(el("div", "small num", `${W.live_stake} ${a.stake}`));
    }
    last.replaceChildren(...lParts);
    const lastTeam = a && a.team;
    for (const [entry, node] of rowNodes) node.classList.toggle("last", entry === lastTeam);
  }

  function paintTicker(board) {
    const box = $("ticker");
    if (!box) return;
    const items = board.ticker || [];
    box.hidden = !items.length;
    const track = $("ticker-track");
    const key = items.map((i) => i.seq).join(",") + lang;
    if (track.dataset.key === key) return;  // unchanged: the scroll keeps its place
    track.dataset.key = key;
    const item = (i) => {
      const node = el("span", "item");
      node.append(el("span", "at num", clock(i.at)), document.createTextNode(named(i.text)));
      return node;
    };
    track.replaceChildren(...items.map(item), ...items.map(item));  // twice: the loop is seamless
    track.style.setProperty("--ticker-time", `${Math.max(20, items.length * 8)}s`);
  }

  function paintPicker(board) {
    const pick = $("board-pick");
    if (!pick) return;
    const options = [["overall", named(board.overall.title)]];
    for (const e of board.events) options.push([`event:${e.key}`, named(e.title)]);
    if (boardName.startsWith("round:")) {
      const r = board.rounds.find((x) => `round:${x.id}` === boardName);
      if (r) options.push([boardName, named(r.title)]);
    }
    options.push(["individuals", W.live_individuals], ["units", W.live_units]);
    for (const q of board.quiz) options.push([`quiz:${q.round}`, `${W.live_quiz} · ${named(q.title)}`]);
    if (!options.some(([v]) => v === boardName)) options.push([boardName, W.live_no_board]);
    const key = JSON.stringify(options);
    if (pick.dataset.key !== key) {
      pick.dataset.key = key;
      pick.replaceChildren(...options.map(([value, text]) => { const o = el("option", "", text); o.value = value; return o; }));
    }
    pick.value = boardName;
  }

  function render() {
    const board = state.board;
    if (!board) return;
    document.body.dataset.seq = String(state.seq);
    paintStatus(board);
    paintPicker(board);
    paintTicker(board);
    const found = part(board);
    const title = $("board-title");
    if (title) title.textContent = found ? found.title : W.live_no_board;
    const note = $("board-note");
    if (note) {
      note.textContent = found && found.partial ? W.live_partial : "";
      note.hidden = !note.textContent;
    }
    const rows = found ? found.rows : [];
    const side = [paintCeremony(board, board.overall.rows), paintStage(board)].some(Boolean);
    const aside = $("side");
    if (aside) { aside.hidden = !side; $("main").classList.toggle("with-side", side); }
    if (found) paintRows(rows);
    else { $("rows").replaceChildren(el("div", "empty", W.live_no_board)); setPager(1); }
    if (ctx.mode === "quiz") paintQuiz(found && found.quiz);
  }

  const pick = $("board-pick");
  if (pick) pick.addEventListener("change", () => {
    boardName = pick.value;
    params.set("board", boardName);
    history.replaceState(null, "", `${location.pathname}?${params}`);
    fixLangLink();
    rowNodes.clear(); shown.clear(); page = 0;
    $("rows").replaceChildren();
    render();
  });
  function fixLangLink() {  // switching the language keeps the board and the view
    const link = $("lang-link");
    if (!link) return;
    const next = new URLSearchParams(location.search);
    next.set("lang", lang === "zh" ? "en" : "zh");
    link.href = `?${next}`;
  }
  fixLangLink();
  addEventListener("resize", () => { page = 0; $("rows").replaceChildren(); render(); });
  say("down", W.live_connecting);
  firstPaint();
})();
