// Ask before anything destructive: <form data-confirm="确定删除？"> or <button data-confirm="…">.
document.addEventListener("submit", (event) => {
  const message = event.submitter?.dataset.confirm || event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// A download that takes a while shows that it is being made: <a data-download-busy="正在生成…" href="…">
// (or a GET <form data-download-busy="…">) is disabled with a spinner and that label until the file
// arrives. One at a time: a second download would cancel the first (each is a navigation of the page until
// its file answers), so meanwhile every export control of the page is disabled and a click does nothing.
// The request carries a random download_token; the export answers with the cookie download-<token>
// (xuncha/exports/engine.py, mark_download), which this script waits for. Without the script the links
// are plain downloads.
(() => {
  const POLL_MS = 300;
  // A request that never answers must not leave the buttons stuck for good; a whole province's ledger may
  // take minutes to write, so this is generous.
  const GIVE_UP_MS = 10 * 60 * 1000;
  const COOKIE_PREFIX = "download-";

  const newToken = () =>
    Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join("");

  const hasCookie = (name) => document.cookie.split("; ").some((pair) => pair.startsWith(`${name}=`));

  const dropCookie = (name) => {
    // The server sets it Secure (unless DEBUG or SECURE_COOKIES=0); a secure page may replace it.
    const secure = window.isSecureContext ? "; Secure" : "";
    document.cookie = `${name}=; Max-Age=0; Path=/; SameSite=Lax${secure}`;
  };

  let busy = false;
  let finish = null; // ends the wait under way: the file came, or the page was left and shown again

  const setDisabled = (control, disabled) => {
    control.classList.toggle("disabled", disabled);
    if (disabled) control.setAttribute("aria-disabled", "true");
    else control.removeAttribute("aria-disabled");
    if (control instanceof HTMLButtonElement) control.disabled = disabled;
  };

  const otherControls = (button) =>
    Array.from(document.querySelectorAll("a[data-download-busy], form[data-download-busy] [type=submit]")).filter(
      (control) => control !== button,
    );

  // `button` (the link, or the form's submit button) shows the spinner; the page's other exports wait.
  function wait(button, label, token) {
    busy = true;
    const others = otherControls(button);
    others.forEach((control) => setDisabled(control, true));
    const content = Array.from(button.childNodes);
    const spinner = document.createElement("span");
    spinner.className = "spinner-border spinner-border-sm me-1";
    spinner.setAttribute("aria-hidden", "true");
    button.replaceChildren(spinner, label);
    setDisabled(button, true);
    button.setAttribute("aria-busy", "true");

    const name = COOKIE_PREFIX + token;
    const started = Date.now();
    const timer = window.setInterval(() => {
      if (hasCookie(name) || Date.now() - started >= GIVE_UP_MS) finish();
    }, POLL_MS);
    finish = () => {
      window.clearInterval(timer);
      dropCookie(name);
      button.replaceChildren(...content);
      setDisabled(button, false);
      button.removeAttribute("aria-busy");
      others.forEach((control) => setDisabled(control, false));
      busy = false;
      finish = null;
    };
  }

  // An export that answered with a page (a session run out, an error) leaves this one; coming back to it
  // from the browser's cache must not find its buttons still waiting.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && finish) finish();
  });

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-download-busy]");
    if (!link) return;
    if (busy) {
      event.preventDefault();
      return;
    }
    // Opening it in a new tab or window (ctrl-, shift-, middle-click) is left to the browser.
    const modified = event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey;
    if (event.defaultPrevented || modified) return;
    event.preventDefault();
    const token = newToken();
    const url = new URL(link.href);
    url.searchParams.set("download_token", token);
    wait(link, link.dataset.downloadBusy, token);
    window.location.assign(url);
  });

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-download-busy]");
    if (!form) return;
    if (busy) {
      event.preventDefault();
      return;
    }
    if (event.defaultPrevented) return; // declined at a data-confirm prompt
    const button = event.submitter || form.querySelector("[type=submit]");
    if (!button) return;
    const token = newToken();
    let field = form.querySelector("input[name=download_token]");
    if (!field) {
      field = Object.assign(document.createElement("input"), { type: "hidden", name: "download_token" });
      form.append(field);
    }
    field.value = token;
    wait(button, form.dataset.downloadBusy, token);
  });
})();

// No inline script or style is allowed by the Content-Security-Policy (xuncha/middleware.py), so what
// templates used to say in onchange/onclick/style attributes is said with data attributes and done here:
// <select data-autosubmit> submits its form when changed; <button data-print> prints the page, <button data-back>
// goes back a page;
// <div class="progress-bar" data-progress="40"> is 40% wide (also in content htmx swaps in).
document.addEventListener("change", (event) => {
  if (event.target.matches?.("[data-autosubmit]")) event.target.form?.submit();
});
document.addEventListener("click", (event) => {
  if (event.target.closest?.("[data-print]")) window.print();
  if (event.target.closest?.("[data-back]")) history.back();
});
(() => {
  const widen = (root) => {
    for (const bar of root.querySelectorAll("[data-progress]")) bar.style.width = `${bar.dataset.progress}%`;
  };
  if (window.htmx) window.htmx.onLoad(widen);
  else document.addEventListener("DOMContentLoaded", () => widen(document));
})();
