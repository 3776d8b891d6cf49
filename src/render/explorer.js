// mdbook-ep: the EP explorer of the "All EPs" page. Filters the table by state, SIG, person and
// free text, sorts it by any column, and keeps all of it in the URL so a view can be shared.
// Without JavaScript the page is the plain table; the controls stay hidden.
(() => {
  const root = document.getElementById("ep-explorer");
  const table = document.getElementById("ep-explorer-table");
  if (!root || !table || !table.tBodies.length) return;
  const form = root.querySelector("form");
  const count = root.querySelector(".ep-explorer-count");
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const order = new Map(rows.map((r, i) => [r, i]));
  const heads = Array.from(table.tHead.rows[0].cells);
  const fields = ["q", "state", "sig", "person"];
  const text = new Map(
    rows.map((r) => [r, (r.cells[0].textContent + " " + r.cells[1].textContent).toLowerCase()])
  );
  const people = new Map(
    rows.map((r) => [r, (r.dataset.epPeople || "").split("\n").filter(Boolean).map(bare)])
  );
  let sortCol = -1;
  let sortDir = 1;

  function bare(handle) {
    return handle.trim().replace(/^@/, "").toLowerCase();
  }

  function key(row, col) {
    const cell = row.cells[col];
    return cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
  }

  function compare(a, b) {
    if (sortCol < 0) return order.get(a) - order.get(b);
    const x = key(a, sortCol);
    const y = key(b, sortCol);
    // Blank cells (a draft's number, no date) go last whichever way the column sorts.
    if (x === "" || y === "") return (x === "") - (y === "") || order.get(a) - order.get(b);
    const nx = Number(x);
    const ny = Number(y);
    const c = !isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y, undefined, { numeric: true });
    return c * sortDir || order.get(a) - order.get(b);
  }

  function sort() {
    heads.forEach((th, i) => {
      if (i === sortCol) th.setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    });
    rows.slice().sort(compare).forEach((r) => body.appendChild(r));
  }

  function filter() {
    const q = form.elements.q.value.trim().toLowerCase();
    const number = /^(ep-?)?0*(\d+)$/i.exec(q);
    const state = form.elements.state.value;
    const sig = form.elements.sig.value;
    const person = bare(form.elements.person.value);
    let shown = 0;
    for (const r of rows) {
      const match =
        (!state || r.dataset.epState === state) &&
        (!sig || r.dataset.epSig === sig) &&
        (!person || people.get(r).some((p) => p.includes(person))) &&
        (!q || text.get(r).includes(q) || (number !== null && r.dataset.epNumber === number[2]));
      r.hidden = !match;
      if (match) shown += 1;
    }
    count.textContent = `Showing ${shown} of ${rows.length} EP${rows.length === 1 ? "" : "s"}`;
  }

  function remember() {
    const params = new URLSearchParams();
    for (const name of fields) {
      const value = form.elements[name].value.trim();
      if (value) params.set(name, value);
    }
    if (sortCol >= 0) {
      params.set("sort", heads[sortCol].dataset.epKey);
      if (sortDir < 0) params.set("order", "desc");
    }
    const query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function update() {
    filter();
    remember();
  }

  heads.forEach((th, i) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "ep-sort";
    button.append(...th.childNodes);
    button.title = "Sort by this column";
    th.appendChild(button);
    button.addEventListener("click", () => {
      sortDir = sortCol === i ? -sortDir : 1;
      sortCol = i;
      sort();
      remember();
    });
  });

  const params = new URLSearchParams(location.search);
  for (const name of fields) {
    const element = form.elements[name];
    element.value = params.get(name) || "";
    // A value the list does not offer (an old link) shows every EP rather than none.
    if (element.value !== (params.get(name) || "")) element.value = "";
  }
  const wanted = heads.findIndex((th) => th.dataset.epKey === params.get("sort"));
  if (wanted >= 0) {
    sortCol = wanted;
    sortDir = params.get("order") === "desc" ? -1 : 1;
    sort();
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", () => setTimeout(update));
  root.hidden = false;
  filter();
})();
