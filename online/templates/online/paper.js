// A contestant's paper on a phone: every answer is kept on the device at once and sent through an
// outbox, one request per answer, each with a client-made id, in order, retried with backoff;
// nothing is tried while the browser says it is offline, and an untried answer to a question gives
// way to a newer answer to the same question (a tried one stays, byte for byte, until answered).
// The clock shows the server's time left; the server refuses answers after it, and at zero the
// page hands the paper in. On the home page it only gives each start form a client id.
(() => {
  for (const input of document.querySelectorAll("[data-client-id]")) input.value = newId();
  const root = document.getElementById("paper");
  if (!root) return;
  const W = JSON.parse(root.dataset.words);
  const token = root.dataset.token, attempt = root.dataset.attempt;
  const OUTBOX = `online-outbox:${attempt}`, KEPT = `online-answers:${attempt}`;
  const base = `/api/online/${token}/attempts/${attempt}`;
  const read = (k, d) => { try { return JSON.parse(localStorage.getItem(k)) ?? d; } catch (e) { return d; } };
  const write = (k, v) => localStorage.setItem(k, JSON.stringify(v));
  function newId() { return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`; }

  const boxes = [...document.querySelectorAll("fieldset.q")];
  const kept = read(KEPT, {});
  let refused = {};
  function valueOf(box) {
    const inputs = [...box.querySelectorAll("input")];
    if (box.dataset.type === "numeric") return inputs[0].value.trim();
    return inputs.filter((i) => i.checked).map((i) => i.value).sort().join("");
  }
  function paint(box, value) {
    for (const input of box.querySelectorAll("input")) {
      if (input.type === "text") input.value = value;
      else input.checked = box.dataset.type === "true_false" ? input.value === value : value.includes(input.value);
    }
  }
  // what this device holds wins over what the page was rendered with: it may not have reached the server yet
  for (const box of boxes) if (kept[box.dataset.question] !== undefined) paint(box, kept[box.dataset.question]);

  function show() {
    const outbox = read(OUTBOX, []);
    const waiting = new Set(outbox.map((o) => o.question));
    for (const box of boxes) {
      const mark = box.querySelector(".state");
      const q = box.dataset.question;
      const answered = valueOf(box) !== "";
      mark.className = "state " + (refused[q] ? "no" : waiting.has(q) ? "wait" : "sent");
      mark.textContent = refused[q] ? `✗ ${W.refused}` : waiting.has(q) ? `… ${W.waiting}` : answered ? `✓ ${W.saved}` : "";
    }
    const status = document.getElementById("status");
    status.classList.toggle("offline", !navigator.onLine);
    status.textContent = !navigator.onLine ? W.offline : outbox.length ? W.n_waiting.replace("{}", outbox.length) : W.all_saved;
  }

  function enqueue(box) {
    const q = box.dataset.question, value = valueOf(box);
    kept[q] = value; write(KEPT, kept);
    delete refused[q];
    const item = { question: q, body: { answer: value, client_id: newId() } };
    const outbox = read(OUTBOX, []);
    const at = outbox.findIndex((o) => o.question === q && !o.tried);
    if (at >= 0) outbox[at] = item; else outbox.push(item);
    write(OUTBOX, outbox); show(); flush();
  }
  for (const box of boxes) {
    box.addEventListener("change", () => enqueue(box));
    const text = box.querySelector("input[type=text]");
    if (text) text.addEventListener("blur", () => { if (text.value.trim() !== (kept[box.dataset.question] ?? box.dataset.held)) enqueue(box); });
  }

  let busy = false, delay = 1000, timeUp = false;
  async function flush() {
    if (busy) return;
    busy = true;
    try {
      for (;;) {
        const outbox = read(OUTBOX, []);
        const item = outbox[0];
        if (!item || !navigator.onLine) { if (!item) delay = 1000; break; }
        if (!item.tried) { item.tried = true; write(OUTBOX, outbox); }
        let response = null;
        try {
          response = await fetch(`${base}/answers/${encodeURIComponent(item.question)}`, { method: "PUT",
            headers: { "content-type": "application/json" }, body: JSON.stringify(item.body), credentials: "same-origin" });
        } catch (e) { response = null; }
        if (!response || response.status >= 500) { setTimeout(flush, delay); delay = Math.min(delay * 2, 30000); break; }
        const data = await response.json().catch(() => ({}));
        write(OUTBOX, read(OUTBOX, []).filter((o) => o.body.client_id !== item.body.client_id));
        if (!response.ok) {
          refused[item.question] = data[root.dataset.lang] || data.detail || String(response.status);
          if (data.type && data.type.endsWith("online-time-up")) { timeUp = true; write(OUTBOX, []); break; }
        }
      }
    } finally { busy = false; show(); }
    if (timeUp) handIn();
  }
  window.addEventListener("online", () => { show(); flush(); });
  window.addEventListener("offline", show);

  const form = document.getElementById("hand-in-form");
  let handing = false;
  function handIn() { if (!handing) { handing = true; localStorage.removeItem(KEPT); form.submit(); } }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const blank = boxes.filter((b) => valueOf(b) === "").length;
    if (!confirm((blank ? W.unanswered_n.replace("{}", blank) + " " : "") + W.submit_confirm)) return;
    const wait = () => { if (!read(OUTBOX, []).length) handIn(); else { flush(); setTimeout(wait, 500); } };
    wait();
  });

  const remaining = root.dataset.remaining === "" ? null : parseInt(root.dataset.remaining, 10);
  if (remaining !== null) {
    const end = Date.now() + remaining * 1000;
    const clock = document.getElementById("clock");
    const tick = () => {
      const left = Math.max(0, Math.round((end - Date.now()) / 1000));
      clock.textContent = `${String(Math.floor(left / 60)).padStart(2, "0")}:${String(left % 60).padStart(2, "0")}`;
      clock.classList.toggle("low", left <= 60);
      if (left === 0) {
        for (const input of document.querySelectorAll("fieldset.q input")) input.disabled = true;
        document.getElementById("status").textContent = W.time_up;
        if (navigator.onLine) handIn();   // past the limit the server counts it as handed in anyway
        return;
      }
      setTimeout(tick, 1000);
    };
    tick();
  }
  show(); flush();
})();
