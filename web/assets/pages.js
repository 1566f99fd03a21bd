// Behaviour every page may use, kept out of the HTML so that the Content-Security-Policy can
// forbid inline script: a button marked data-print prints the page; a form marked
// data-no-submit is handled by its page's script and never submitted by the browser.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
document.addEventListener("submit", (event) => {
  if (event.target.closest("form[data-no-submit]")) event.preventDefault();
});
