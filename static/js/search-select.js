// Searchable selects (xuncha/lookups.py SearchSelect): a <select data-lookup-url> that holds only the chosen
// option becomes a Tom Select asking the server for the choices that match what is typed.
(() => {
  function enhance(select) {
    if (select.tomselect) return;
    const { lookupUrl, clearable, msgTypeToSearch, msgNoResults, msgLoading, msgClear } = select.dataset;
    const message = (text) => (data, escape) => `<div class="no-results">${escape(text)}</div>`;
    let plugins = [];
    if (select.multiple) plugins = ["remove_button"];
    else if (clearable === "true") plugins = { clear_button: { title: msgClear } };
    new TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: [],
      score: () => () => 1, // the server has searched already: show its answer as it is, in its order
      maxOptions: null,
      preload: "focus", // the first choices on focus; typing narrows them
      loadThrottle: 300,
      plugins,
      render: {
        not_loading: message(msgTypeToSearch),
        no_results: message(msgNoResults),
        loading: message(msgLoading),
      },
      load(query, callback) {
        const url = `${lookupUrl}?${new URLSearchParams({ q: query })}`;
        fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
          .then((rows) => {
            if (query !== this.lastValue) return callback(); // an older answer arriving late
            this.clearOptions(); // keeps the chosen ones; drops the answer to an earlier query
            callback(rows);
          })
          .catch(() => callback());
      },
    });
  }

  function enhanceAll(root) {
    root.querySelectorAll("select[data-lookup-url]").forEach(enhance);
  }

  enhanceAll(document);
  document.addEventListener("htmx:load", (event) => enhanceAll(event.detail.elt));
})();
