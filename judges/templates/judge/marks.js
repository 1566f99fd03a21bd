// A mark as the judge types it, on the tablet: checked in the page's language (never the
// browser's), stepped by the + and − buttons, and added into the running subtotal, all with
// exact decimals (BigInt scaled by a power of ten; no binary floats). The same rules as the
// server's (scoring/rubrics/criteria.py), which checks every mark again for the record; this
// file decides nothing the server does not, it says it earlier. Loaded before sheet.js.
(function () {
  "use strict";
  const NUMBER = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$/;   // scoring/decimals.py's plain number
  const CLOCK = /^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$/;  // 1:23.4 or 0:01:23.4

  // --- exact decimals: { n: BigInt, s: digits after the point }
  function dec(text) {
    const t = String(text ?? "").trim();
    if (!NUMBER.test(t)) return null;
    const negative = t.startsWith("-"), body = t.replace(/^[+-]/, "");
    const [whole, frac = ""] = body.split(".");
    const n = BigInt((whole || "0") + frac);
    return { n: negative ? -n : n, s: frac.length };
  }
  const ten = (k) => 10n ** BigInt(k);
  const align = (a, b) => {
    const s = Math.max(a.s, b.s);
    return [a.n * ten(s - a.s), b.n * ten(s - b.s), s];
  };
  const add = (a, b) => { const [x, y, s] = align(a, b); return { n: x + y, s }; };
  const sub = (a, b) => { const [x, y, s] = align(a, b); return { n: x - y, s }; };
  const cmp = (a, b) => { const [x, y] = align(a, b); return x < y ? -1 : x > y ? 1 : 0; };
  const mul = (a, k) => ({ n: a.n * BigInt(k), s: a.s });
  const onStep = (v, from, step) => { const [x, y] = align(sub(v, from), step); return y === 0n || x % y === 0n; };
  const ZERO = { n: 0n, s: 0 };
  function text(d) {                      // "1.50" -> "1.5", "-0" -> "0"
    const negative = d.n < 0n, a = negative ? -d.n : d.n;
    const digits = a.toString().padStart(d.s + 1, "0");
    const whole = digits.slice(0, digits.length - d.s), frac = d.s ? digits.slice(-d.s).replace(/0+$/, "") : "";
    const out = whole + (frac ? "." + frac : "");
    return negative && out !== "0" ? "-" + out : out;
  }

  function seconds(t) {                   // "83.4", "1:23.4", "0:01:23.4" in seconds
    const plain = dec(t);
    if (plain) return plain;
    const m = CLOCK.exec(String(t).trim());
    if (!m) return null;
    const [, h, mm, ss] = m;
    const minutes = h === undefined ? BigInt(mm) : BigInt(h) * 60n + BigInt(mm);
    return add({ n: minutes * 60n, s: 0 }, dec(ss));
  }

  // a mark as it is kept: no surrounding spaces, no plus sign, no sign on a zero (as the server keeps it)
  function canonical(raw) {
    const t = String(raw ?? "").trim(), d = dec(t);
    if (!d) return t;
    const plain = t.replace(/^\+/, "");
    return d.n === 0n ? plain.replace(/^-/, "") : plain;
  }

  const fill = (words, ...args) => args.reduce((w, a) => w.replace("{}", String(a)), words);
  const limit = (el, name) => (el.dataset[name] ? dec(el.dataset[name]) : null);

  // why this text is not a valid mark for the field `el` ("" when it is, or when nothing is marked)
  function why(el, raw, W) {
    const t = String(raw ?? "").trim(), kind = el.dataset.input;
    if (t === "" || kind === "toggle" || kind === "veto" || kind === "answer") return "";
    const low = limit(el, "min"), high = limit(el, "max");
    if (kind === "counter") {
      const d = dec(t);
      if (!d || d.n < 0n || !onStep(d, ZERO, { n: 1n, s: 0 })) return fill(W.not_count, t);
      if (high && cmp(d, high) > 0) return fill(W.count_above, text(d), text(high));
      return "";
    }
    const d = kind === "stopwatch" ? seconds(t) : dec(t);
    if (!d) return fill(kind === "stopwatch" ? W.not_time : W.not_number, t);
    if (kind === "stepper" && low && high && (cmp(d, low) < 0 || cmp(d, high) > 0)) {
      return fill(W.out_of_range, t, text(low), text(high));
    }
    if (low && cmp(d, low) < 0) return fill(W.below, t, text(low));
    if (high && cmp(d, high) > 0) return fill(W.above, t, text(high));
    const step = limit(el, "step");
    if (kind === "stepper" && step && !onStep(d, low || ZERO, step)) return fill(W.off_step, t, text(low || ZERO), text(step));
    return "";
  }

  // the text after one tap of + (dir 1) or − (dir −1): onto the next step in that direction,
  // within the field's limits; from an empty or unreadable box, the lowest value
  function stepped(el, raw, dir) {
    const low = limit(el, "min"), high = limit(el, "max");
    const step = limit(el, "step") || { n: 1n, s: 0 };
    const from = low || ZERO, d = dec(raw);
    let next;
    if (!d) next = dir > 0 ? add(from, step) : from;
    else {
      const [x, y, s] = align(sub(d, from), step), exact = x % y === 0n;
      let k = x / y;                                     // whole steps from the lowest, toward zero
      if (!exact && x < 0n) k -= 1n;                     // the step at or below
      if (dir > 0) k += 1n; else if (exact) k -= 1n;     // the next step up, or down
      next = add(from, { n: k * y, s });
    }
    if (low && cmp(next, low) < 0) next = low;
    if (high && cmp(next, high) > 0) next = high;
    return text(next);
  }

  // the running subtotal of the marks kept (null when a mark is not valid: no number is shown
  // that the sheet does not hold). Times and measurements that map to points are left out (the
  // server maps them); where lower is better, times are seconds and deductions add seconds.
  function subtotal(fields, marks, lower, W) {
    let total = ZERO;
    for (const el of fields) {
      const v = marks[el.name];
      if (v === undefined || v === "") continue;
      if (why(el, v, W)) return null;
      if (el.dataset.mapped === "1") continue;
      const kind = el.dataset.input;
      if (kind === "toggle") total = v === "1" ? add(total, dec(el.dataset.points)) : total;
      else if (kind === "counter") {
        let off = mul(dec(el.dataset.per), dec(v).n / ten(dec(v).s));
        if (el.dataset.cap && cmp(off, dec(el.dataset.cap)) > 0) off = dec(el.dataset.cap);
        total = lower ? add(total, off) : sub(total, off);
      } else if (kind === "stopwatch") total = add(total, seconds(v));
      else if (kind !== "veto" && kind !== "answer") total = add(total, dec(v));
    }
    return text(total);
  }

  window.JudgeMarks = { why, stepped, subtotal, canonical, fill };
})();
