// The judge's assignments page: keeps, for use offline, this page and the form of every sheet
// it lists (one at a time, whenever the page opens with the network: first at sign-in), so a
// sheet never opened before still opens when the network drops. The service worker (sw.js) serves
// the kept copies when the network does not answer; marks never travel through it.
(function () {
  "use strict";
  const CACHE = "judge-pages-v1";
  const kept = document.getElementById("kept");
  const sheets = [...document.querySelectorAll("a[data-sheet]")].map((a) => a.getAttribute("href"));
  const shared = ["/judge/sheet.js", "/judge/marks.js", "/judge/home.js", "/judge/placements.js", "/assets/pages.js"];
  // the scripts every time (they change with the server), a sheet's form when it is not kept yet
  // (opening a sheet online keeps its newest form anyway): a long list costs its fetches once
  async function keepAll() {
    const cache = await caches.open(CACHE);
    await cache.add(location.pathname);
    let n = 0;
    for (const url of [...shared, ...sheets]) {
      const sheet = sheets.includes(url);
      try {
        if (!(sheet && await cache.match(url))) {
          const response = await fetch(url, { credentials: "same-origin" });
          if (!response.ok) continue;
          await cache.put(url, response);
        }
        if (sheet) n += 1;
      } catch (e) { /* offline again: what is kept stays */ }
    }
    kept.textContent = kept.dataset.words.replace("{}", String(n));
    window.__judgeKept = n;
  }
  if ("serviceWorker" in navigator && navigator.onLine) {
    navigator.serviceWorker.register("/judge/sw.js", { scope: "/judge" })
      .then(() => navigator.serviceWorker.ready)
      .then(keepAll)
      .catch(() => {});
  }
})();
