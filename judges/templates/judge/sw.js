// Keeps the judge's pages available when the network drops: network first, the last copy if
// offline. Its scope is /judge, so the assignments page (/judge itself) is covered as well as
// the sheets under /judge/; home.js and sheet.js put pages in the same cache ahead of time.
// Only pages and scripts are kept; marks travel through the page's outbox, never here.
const CACHE = "judge-pages-v1";
const KEPT = (path) => path === "/judge" || path.startsWith("/judge/") || path === "/assets/pages.js";
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || !KEPT(url.pathname)) return;
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (response.ok && !response.redirected) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(event.request, copy));
        }
        return response;
      })
      .catch(() => caches.match(event.request, { ignoreSearch: false }).then((hit) => hit || Response.error()))
  );
});
