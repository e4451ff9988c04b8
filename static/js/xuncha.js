// Ask before anything destructive: <form data-confirm="确定删除？"> or <button data-confirm="…">.
document.addEventListener("submit", (event) => {
  const message = event.submitter?.dataset.confirm || event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
