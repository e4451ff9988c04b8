// Charts of the dashboard, drawn from the same figures as its tables (json_script "dashboard-data").
// Clicking a bar or slice opens the rows behind it, like the links in the tables.
(() => {
  const d = JSON.parse(document.getElementById("dashboard-data").textContent);
  const t = JSON.parse(document.getElementById("dashboard-labels").textContent);
  const base = { textStyle: { fontSize: 16 }, tooltip: { trigger: "axis", textStyle: { fontSize: 16 } },
    legend: { top: 0, textStyle: { fontSize: 16 } }, grid: { left: 60, right: 20, top: 50, bottom: 60, containLabel: true } };
  const axisLabel = { fontSize: 15, interval: 0, overflow: "break", width: 110 };
  // Round labels (2026年第10轮巡察) are long and many: slanted, so that none breaks or runs into the next.
  const roundLabel = { fontSize: 13, interval: 0, rotate: 40 };
  const charts = [];
  const asPercent = (v) => `${v.toFixed(1)}%`; // as the tables show a rate: 95.0%
  const percentLabel = (p) => (p.value == null ? "" : asPercent(p.value));
  const percentTooltip = (v) => (v == null ? "—" : asPercent(v));

  function draw(id, option, empty = false) {
    const el = document.getElementById(id);
    if (!el || !window.echarts) return;
    if (empty) { // bare axes say nothing: say there is nothing yet
      el.textContent = t.no_data;
      el.classList.add("chart-empty");
      el.removeAttribute("role"); // read out as text, not as a picture's name
      return;
    }
    const chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({ ...base, ...option });
    chart.on("click", (p) => { if (p.data && p.data.url) window.location.href = p.data.url; });
    charts.push(chart);
  }
  const point = (f) => ({ value: f.n, url: f.url });

  const kinds = d.coverage.by_kind;
  const target = d.coverage.milestone.target;
  draw("chart-kind", {
    title: { text: t.coverage_by_kind, left: "center", bottom: 0, textStyle: { fontSize: 18 } },
    grid: { ...base.grid, right: 90 }, // room for the target line's label, right of the bars
    tooltip: { trigger: "axis", valueFormatter: percentTooltip },
    xAxis: { type: "category", data: kinds.map((k) => k.label), axisLabel },
    yAxis: { type: "value", max: 100, axisLabel: { fontSize: 15 } },
    series: [{ name: t.rate, type: "bar", barMaxWidth: 60, label: { show: true, position: "top", fontSize: 16, formatter: percentLabel },
      data: kinds.map((k) => ({ value: k.rate, url: k.covered.url })),
      markLine: target == null ? undefined : { symbol: "none",
        label: { fontSize: 15, position: "end", formatter: `${t.target}\n{c}%` },
        lineStyle: { type: "dashed", color: "#a4161a", width: 2 }, data: [{ yAxis: target }] } }],
  }, kinds.length === 0);

  const years = d.coverage.by_year;
  draw("chart-year", {
    xAxis: { type: "category", data: years.map((y) => String(y.year)), axisLabel },
    yAxis: { type: "value", minInterval: 1, axisLabel: { fontSize: 15 } },
    series: [
      { name: t.planned, type: "bar", data: years.map((y) => point(y.planned)), label: { show: true, position: "top", fontSize: 15 } },
      { name: t.covered, type: "bar", data: years.map((y) => point(y.covered)), label: { show: true, position: "top", fontSize: 15 } },
    ],
  }, years.length === 0);

  const rounds = d.rounds.slice().reverse(); // the tables put the latest round first; a chart reads left to right
  const stages = rounds.length ? rounds[0].stages.map((s) => s.label) : [];
  draw("chart-rounds", {
    xAxis: { type: "category", data: rounds.map((r) => r.label), axisLabel: roundLabel },
    yAxis: { type: "value", minInterval: 1, axisLabel: { fontSize: 15 } },
    series: stages.map((label, i) => ({ name: label, type: "bar", stack: "stage",
      data: rounds.map((r) => point(r.stages[i].n)) })),
  }, rounds.length === 0);

  draw("chart-findings", {
    tooltip: { trigger: "item", textStyle: { fontSize: 16 } },
    legend: { bottom: 0, textStyle: { fontSize: 15 } },
    series: [{ type: "pie", radius: ["35%", "65%"], label: { fontSize: 15, formatter: "{b}\n{c}" },
      data: d.findings.categories.map((c) => ({ name: c.name, value: c.n.n, url: c.n.url })) }],
  }, d.findings.total.n === 0);

  const byRound = d.rectification.by_round.slice().reverse();
  draw("chart-rect-rounds", {
    grid: { left: 40, right: 20, top: 40, bottom: 30, containLabel: true },
    tooltip: { trigger: "axis", valueFormatter: percentTooltip },
    xAxis: { type: "category", data: byRound.map((r) => r.label), axisLabel: roundLabel },
    yAxis: { type: "value", max: 100, axisLabel: { fontSize: 15 } },
    series: [{ name: t.completion, type: "bar", barMaxWidth: 50, label: { show: true, position: "top", fontSize: 13, formatter: percentLabel },
      data: byRound.map((r) => ({ value: r.rate, url: r.closed.url })) }],
  }, byRound.length === 0);

  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
})();
