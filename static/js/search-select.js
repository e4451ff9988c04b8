// Searchable selects (xuncha/lookups.py SearchSelect): a <select data-lookup-url> that holds only the chosen
// option becomes a Tom Select asking the server for the choices that match what is typed.
// A people picker with data-lookup-follows="responsible_unit" offers the staff of the unit chosen in that field of
// the same form: it sends the unit along (?unit=) and, when the unit changes, drops its choice and its options.
(() => {
  function enhance(select) {
    if (select.tomselect) return;
    const { lookupUrl, lookupFollows, clearable, msgTypeToSearch, msgNoResults, msgLoading, msgClear } = select.dataset;
    const message = (text) => (data, escape) => `<div class="no-results">${escape(text)}</div>`;
    let plugins = [];
    if (select.multiple) plugins = ["remove_button"];
    else if (clearable === "true") plugins = { clear_button: { title: msgClear } };
    const followed = lookupFollows ? select.form?.elements.namedItem(lookupFollows) : null;
    const ts = new TomSelect(select, {
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
        const params = new URLSearchParams({ q: query });
        if (followed) params.set("unit", followed.value);
        const url = `${lookupUrl}?${params}`;
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
    followed?.addEventListener("change", () => {
      ts.clear();
      ts.clearOptions();
      ts.wrapper.classList.remove("preloaded"); // the next focus asks again, for the new unit
    });
  }

  function enhanceAll(root) {
    root.querySelectorAll("select[data-lookup-url]").forEach(enhance);
  }

  enhanceAll(document);
  document.addEventListener("htmx:load", (event) => enhanceAll(event.detail.elt));
})();
