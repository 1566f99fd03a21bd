// Attempt by attempt, for a rubric with attempts (a diver's dives, a drill's timed runs): the
// form holds one fieldset per attempt, its fields named "attempt/criterion"; the tablet shows
// one attempt at a time, the first not yet submitted, with its parameters (the dive's DD) as the
// officials' desk gave them, read-only. A submitted attempt can be looked at, never changed here
// (the chief judge corrects it). After a submission is acknowledged the next attempt is shown.
// sheet.js asks this script, when it is loaded, whether a submitted sheet is still open for the
// next attempt and whether a field is closed; everything else is sheet.js's, and the server
// checks again that a submission only adds the next attempt. Loaded before sheet.js.
// A rubric with a part marked once per entry (a skater's programme components) has one more
// step after the attempts: its fieldset (fields named by the criterion alone), reached once the
// sheet holds the attempts it needs (all of them, or with "up to N" the rubric's min), sent with
// the attempts already submitted; once it is submitted the sheet is complete.
// The parameters stay current: sheet.js hands over the desk's values each time it asks the
// server about the sheet (every 10 s while online, and after each acknowledged submission, so
// when the judge moves to the next attempt); they are kept on the device, and offline the last
// known values are shown and marked as such.
(function () {
  "use strict";
  const sets = [...document.querySelectorAll("fieldset.attempt")];
  if (!sets.length) return;
  const count = sets.length;
  const tabs = [...document.querySelectorAll("#attempts [data-go]")];
  const attemptOf = (key) => { const m = /^(\d+)\//.exec(key || ""); return m ? Number(m[1]) : 0; };
  // the attempts the server holds as submitted (the sheet's last known stored marks)
  const done = (sheet) => (["submitted", "locked"].includes(sheet.state)
    ? Math.max(0, ...Object.keys(sheet.held || {}).map(attemptOf)) : 0);
  const part = document.querySelector("fieldset.entry-part");   // the per-entry part, if any
  const ENTRY = count + 1;                                         // its step, after the attempts
  const needed = part ? Number(part.dataset.needed) : count;
  const partDone = (sheet) => !!part && ["submitted", "locked"].includes(sheet.state)
    && Object.keys(sheet.held || {}).some((key) => attemptOf(key) === 0);
  const partReady = (sheet) => !!part && done(sheet) >= needed;
  const current = (sheet) => (part && (done(sheet) >= count || partDone(sheet)) ? ENTRY : Math.min(done(sheet) + 1, count));
  let picked = null, lastDone = null;  // an earlier attempt the judge looks at; null: the current one
  const ctx = JSON.parse(document.getElementById("ctx").textContent);
  const PARAMS = `params:${ctx.judge}:${ctx.round}:${ctx.entry}`;
  const paint = (values) => {
    for (const el of document.querySelectorAll("[data-param]")) {
      if (el.dataset.param in values) el.querySelector("strong").textContent = values[el.dataset.param] ?? "—";
    }
  };
  if (!navigator.onLine) {  // the page may be an older copy: the last values this device was given
    try { paint(JSON.parse(localStorage.getItem(PARAMS)) || {}); } catch (e) { /* none kept */ }
  }

  window.JudgeAttempts = {
    attemptOf,
    // a submitted sheet with attempts still to come stays open for the next one
    open: (sheet) => sheet.state === "submitted" && !partDone(sheet) && (done(sheet) < count || !!part),
    // a field of a submitted attempt is closed; so is saving a draft of a submitted sheet
    closed(el, sheet) {
      if (el.id === "save") return ["submitted", "locked"].includes(sheet.state);
      if (part && el.closest("fieldset.entry-part")) return partDone(sheet);
      const set = el.closest("fieldset.attempt");
      return !!set && (Number(set.dataset.attempt) <= done(sheet) || partDone(sheet));
    },
    // the marks a submission sends: the attempts up to the one being marked, nothing after it;
    // on the per-entry step, the attempts submitted and the per-entry part
    marks(sheet) {
      const upTo = current(sheet);
      if (part && (upTo === ENTRY || picked === ENTRY)) {
        const d = done(sheet);
        return Object.fromEntries(Object.entries(sheet.marks).filter(([key]) => attemptOf(key) <= d));
      }
      return Object.fromEntries(Object.entries(sheet.marks).filter(([key]) => attemptOf(key) >= 1 && attemptOf(key) <= upTo));
    },
    show(sheet, words) {
      const d = done(sheet);
      if (d !== lastDone) { picked = null; lastDone = d; }  // moved on: show the next attempt
      const shown = picked ?? current(sheet);
      for (const set of sets) {
        const k = Number(set.dataset.attempt);
        set.hidden = k !== shown;
        set.querySelector(".attempt-done").hidden = k > d;
      }
      if (part) {
        part.hidden = shown !== ENTRY;
        part.querySelector(".attempt-done").hidden = !partDone(sheet);
      }
      const reach = partDone(sheet) ? d : Math.min(d + 1, count);   // the attempts a judge may open
      for (const tab of tabs) {
        const k = Number(tab.dataset.go);
        tab.classList.toggle("done", k === ENTRY ? partDone(sheet) : k <= d);
        tab.disabled = k === ENTRY ? !partReady(sheet) : k > reach;
        tab.classList.toggle("secondary", k !== shown);
        if (k === shown) tab.setAttribute("aria-current", "step"); else tab.removeAttribute("aria-current");
      }
      for (const note of document.querySelectorAll(".from-desk")) {
        note.textContent = navigator.onLine ? words.from_desk : words.params_offline;
        note.classList.toggle("offline", !navigator.onLine);
      }
      const review = document.getElementById("review");
      if (review && shown === ENTRY && words.submit_entry_part) review.textContent = words.submit_entry_part;
      else if (review && words.submit_attempt) review.textContent = words.submit_attempt.replace("{}", String(Math.min(current(sheet), count)));
    },
    pick(k, sheet) { picked = k === current(sheet) ? null : k; },
    // the desk's values as the server has them now ("2/dd" -> "3.4"), shown and kept
    params(values) { paint(values); localStorage.setItem(PARAMS, JSON.stringify(values)); },
  };
  for (const tab of tabs) {
    tab.addEventListener("click", () => {
      window.dispatchEvent(new CustomEvent("attempt-pick", { detail: Number(tab.dataset.go) }));
    });
  }
})();
