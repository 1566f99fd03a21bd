// The quiz master's console. Every tap (a question put, a team's answer, undo, the end of the
// regular questions) goes into an outbox in localStorage with a client-made id and is sent in
// order, retried with backoff as the very same request until the server answers, so the server
// (idempotent on the client id) records it once. A refusal is shown in place in the page's
// language. The state (board, log, next question) is read from /api/quiz/rounds/{id}/console
// after every write and every few seconds. DOM is built from text nodes only.
(function () {
  "use strict";
  const ctx = JSON.parse(document.getElementById("ctx").textContent);
  const W = ctx.words, LANG = ctx.lang, ROUND = ctx.round;
  const API = `/api/quiz/rounds/${ROUND}`;
  const OUTBOX = `quiz-outbox:${ROUND}`;
  const TYPES = { compulsory: "compulsory", 必答: "compulsory", buzzer: "buzzer", 抢答: "buzzer", risk: "risk",
    风险: "risk", extra: "extra", 加赛: "extra" };
  const OUTCOMES = { right: "right", 对: "right", 正确: "right", wrong: "wrong", 错: "wrong", 错误: "wrong",
    early: "early", 抢跑: "early", timeout: "timeout", 超时: "timeout" };
  const $ = (id) => document.getElementById(id);
  const read = (k, d) => { try { return JSON.parse(localStorage.getItem(k)) ?? d; } catch (e) { return d; } };
  const write = (k, v) => localStorage.setItem(k, JSON.stringify(v));
  const newId = () => "qm-" + (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`).replace(/[^A-Za-z0-9-]/g, "");
  const fill = (words, n) => words.replace("{}", n);
  const el = (tag, props, ...children) => {
    const node = document.createElement(tag);
    Object.assign(node, props || {});
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  };

  let state = ctx.state;
  let chosenType = (state.board.question && state.board.question.type) || "compulsory";
  let chosenStake = state.stakes[0];
  let formTouched = false;  // the quiz master changed the form: a refresh does not overwrite it

  const names = () => Object.fromEntries(state.teams.map((t) => [t.key, LANG === "zh" ? t.zh : t.en]));
  const typeWord = (t) => W[`type_${TYPES[t] || t}`] || t;
  const outcomeWord = (o) => W[`outcome_${OUTCOMES[o] || o}`] || o;
  const signed = (p) => (p && !p.startsWith("-") && p !== "0" ? `+${p}` : p);

  function describe(r) {
    const who = r.team ? `${r.team} ${names()[r.team] || ""}`.trim() : "";
    if (r.kind === "answer") {
      return [`#${r.seq}`, who, typeWord(r.type), outcomeWord(r.outcome), r.stake ? fill(W.points_n, r.stake) : "",
        r.points !== undefined ? signed(r.points) : ""].filter(Boolean).join(" · ");
    }
    if (r.kind === "question") {
      return [`#${r.seq}`, W.kind_question, fill(W.question_n, r.number), typeWord(r.type), who,
        r.stake ? fill(W.points_n, r.stake) : ""].filter(Boolean).join(" · ");
    }
    if (r.kind === "end") return `#${r.seq} · ${W.kind_end}`;
    return `#${r.seq} · ${W.kind_undo} #${r.voids}`;
  }

  function say(text, bad) {
    $("message").textContent = text || "";
    $("message").classList.toggle("bad", !!bad);
  }

  // the question panel: what is being put now, and the form to put the next one
  function renderQuestion() {
    const q = state.board.question;
    const now = $("now");
    if (!q) {
      now.replaceChildren(document.createTextNode(state.ended ? W.ended : W.no_question));
    } else {
      const sub = [q.team ? `${W.turn}: ${q.team} ${names()[q.team] || ""}` : W.all_teams,
        `${W.worth}: ${fill(W.points_n, q.value)}`].join(" · ");
      now.replaceChildren(document.createTextNode(`${fill(W.question_n, q.number)} · ${typeWord(q.type)}`),
        el("span", { className: "sub" }, sub));
    }
    if (!formTouched) {
      if (state.ended) chosenType = "extra";  // after the regular questions only extra ones follow
      $("number").value = state.next.number;
      if (state.next.team) $("turn").value = state.next.team;
    }
    $("suggested").textContent = state.next.team ? `(${W.suggested}: ${state.next.team})` : "";
    for (const b of $("types").querySelectorAll("button")) b.setAttribute("aria-pressed", String(b.dataset.type === chosenType));
    for (const b of $("stakes").querySelectorAll("button")) b.setAttribute("aria-pressed", String(b.dataset.stake === chosenStake));
    $("team-field").classList.toggle("hidden", !(chosenType === "compulsory" || chosenType === "risk"));
    $("stake-field").classList.toggle("hidden", chosenType !== "risk");
  }

  // one row per team: its running score and one tap per outcome of the current question
  function renderTeams() {
    const q = state.board.question;
    const scores = Object.fromEntries(state.board.teams.map((s) => [s.team, s.score]));
    const level = new Set(state.ended ? state.board.level.flat() : []);
    const rows = state.teams.map((t) => {
      const taps = el("span", { className: "taps" });
      for (const outcome of ["right", "wrong", "early", "timeout"]) {
        const b = el("button", { type: "button", className: `o-${outcome}` }, W[`outcome_${outcome}`]);
        b.dataset.team = t.key; b.dataset.outcome = outcome;
        b.disabled = !q || (outcome === "early" && q.type !== "buzzer");
        b.title = q ? "" : W.put_first;
        taps.append(b);
      }
      const row = el("div", { className: "team" },
        el("span", { className: "who" }, el("strong", {}, `${t.key} · ${LANG === "zh" ? t.zh : t.en}`)),
        el("span", { className: "pts" }, scores[t.key] ?? ""), taps);
      row.dataset.team = t.key;
      if (q && q.team === t.key) row.classList.add("turn");
      if (level.has(t.key)) row.classList.add("level");
      return row;
    });
    $("teams").replaceChildren(...rows);
  }

  function renderTieBreak() {
    $("end").classList.toggle("hidden", state.ended);
    $("ended-note").textContent = state.ended ? W.ended : "";
    if (!state.ended) { $("groups").replaceChildren(); return; }
    const groups = state.board.level.map((keys) => {
      const offer = el("button", { type: "button" }, W.offer_extra);
      offer.dataset.extra = keys.join(",");
      return el("div", { className: "group" },
        el("span", {}, W.level + keys.map((k) => `${k} ${names()[k] || ""}`.trim()).join("、")), offer);
    });
    $("groups").replaceChildren(...(groups.length ? groups : [el("p", { className: "muted" }, W.no_level)]));
  }

  function renderLog() {
    $("log").replaceChildren(...state.log.map((r) => {
      const item = el("li", {}, describe(r) + (r.voided ? ` (${W.voided})` : ""));
      if (r.voided) item.classList.add("voided");
      return item;
    }));
  }

  function render() {
    renderQuestion(); renderTeams(); renderTieBreak(); renderLog();
    const waiting = read(OUTBOX, []).length;
    $("pending").textContent = waiting ? fill(W.waiting, waiting) : "";
    $("undo").disabled = !state.undo || waiting > 0;
  }

  async function refresh() {
    try {
      const response = await fetch(`${API}/console`, { credentials: "same-origin" });
      if (response.ok) { state = await response.json(); render(); }
      else if (response.status === 401 || response.status === 403) say(W.sign_in_again, true);
    } catch (e) { /* offline: the next poll tries again */ }
  }

  // the outbox: requests wait here until the server has answered them
  function enqueue(path, body) {
    const outbox = read(OUTBOX, []);
    outbox.push({ url: `${API}/${path}`, body: { ...body, client_id: newId() } });
    write(OUTBOX, outbox); render(); flush();
  }

  function refusal(data) {
    const lang = LANG === "zh" ? "zh" : "en";
    const problems = (data.problems || []).map((p) => p[lang] || p.en || "").filter(Boolean);
    return problems.join("; ") || data[lang] || data.detail || "";
  }

  let busy = false, delay = 1000, timer = null;
  async function flush() {
    if (busy) return;
    busy = true;
    try {
      for (;;) {
        const item = read(OUTBOX, [])[0];
        if (!item) { delay = 1000; break; }
        let response;
        try {
          say(W.sending);
          response = await fetch(item.url, { method: "POST", headers: { "content-type": "application/json" },
            body: JSON.stringify(item.body), credentials: "same-origin" });
        } catch (e) { response = null; }
        if (!response || response.status >= 500) {   // no answer: the same request again later
          say(W.offline, true);
          clearTimeout(timer); timer = setTimeout(flush, delay); delay = Math.min(delay * 2, 30000); break;
        }
        if (response.status === 401) { say(W.sign_in_again, true); break; }
        const data = await response.json().catch(() => ({}));
        write(OUTBOX, read(OUTBOX, []).filter((entry) => entry.body.client_id !== item.body.client_id));
        if (response.ok) say(data.kind === "undo" ? `${W.kind_undo} ${describe(data.voided)}` : describe(data));
        else say(`${W.refused}: ${refusal(data)}`, true);
        if (response.ok && data.kind === "question") formTouched = false;
        await refresh();
      }
    } finally { busy = false; render(); }
  }

  $("types").addEventListener("click", (event) => {
    const b = event.target.closest("button[data-type]");
    if (!b) return;
    chosenType = b.dataset.type; formTouched = true; renderQuestion();
  });
  $("stakes").addEventListener("click", (event) => {
    const b = event.target.closest("button[data-stake]");
    if (!b) return;
    chosenStake = b.dataset.stake; renderQuestion();
  });
  for (const id of ["number", "turn"]) $(id).addEventListener("change", () => { formTouched = true; });
  $("put").addEventListener("click", () => {
    const body = { number: parseInt($("number").value, 10) || 0, type: chosenType };
    if (chosenType === "compulsory" || chosenType === "risk") body.team = $("turn").value;
    if (chosenType === "risk") body.stake = chosenStake;
    enqueue("questions", body);
  });
  $("teams").addEventListener("click", (event) => {
    const b = event.target.closest("button[data-outcome]");
    const q = state.board.question;
    if (!b || !q) return;
    enqueue("answers", { team: b.dataset.team, type: q.type, outcome: b.dataset.outcome,
      stake: q.type === "risk" ? q.value : "" });
  });
  $("groups").addEventListener("click", (event) => {
    const b = event.target.closest("button[data-extra]");
    if (!b) return;
    enqueue("questions", { number: state.next.number, type: "extra" });
  });
  $("end").addEventListener("click", () => {
    if (window.confirm(W.end_confirm)) enqueue("end", {});
  });
  // undo: say exactly what will be voided, and send the seq confirmed so nothing else is voided
  let confirming = null;
  $("undo").addEventListener("click", () => {
    if (!state.undo) { say(W.nothing_to_undo, true); return; }
    confirming = state.undo;
    $("undo-what").textContent = describe(confirming);
    $("confirm-undo").classList.add("open");
    $("undo-yes").focus();
  });
  $("undo-no").addEventListener("click", () => { confirming = null; $("confirm-undo").classList.remove("open"); });
  $("undo-yes").addEventListener("click", () => {
    $("confirm-undo").classList.remove("open");
    if (confirming) enqueue("undo", { expect: confirming.seq });
    confirming = null;
  });

  window.addEventListener("online", () => { clearTimeout(timer); delay = 1000; flush(); });
  setInterval(() => { if (!read(OUTBOX, []).length) refresh(); else flush(); }, 5000);
  render(); flush();
})();
