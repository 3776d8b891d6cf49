// mdbook-ep: the EP explorer of the "All EPs" page. Filters the table by state, SIG, person and
// free text, sorts it by any column, and keeps all of it in the URL so a view can be shared.
// Without JavaScript the page is the plain table; the controls stay hidden.
(() => {
  // The print page holds every chapter, this one included: it gets the plain table.
  if (/\/print\.html$/.test(location.pathname)) return;
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
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
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

  // A cell's sort key: its `data-sort` (numbers, lifecycle order), else its text.
  function key(row, col) {
    const cell = row.cells[col];
    return cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
  }

  // Rows in the chosen order, then hidden ones: mdBook stripes rows by position, so the
  // visible rows must come first for the stripes to alternate.
  function arrange() {
    let sorted = rows.slice();
    if (sortCol >= 0) {
      const keys = new Map(rows.map((r) => [r, key(r, sortCol)]));
      const numeric = rows.every((r) => keys.get(r) === "" || !isNaN(Number(keys.get(r))));
      sorted.sort((a, b) => {
        const x = keys.get(a);
        const y = keys.get(b);
        // Blank cells (a draft's number, no date) go last whichever way the column sorts.
        if (x === "" || y === "") return (x === "") - (y === "") || order.get(a) - order.get(b);
        const c = numeric ? Number(x) - Number(y) : collator.compare(x, y);
        return c * sortDir || order.get(a) - order.get(b);
      });
    }
    sorted = sorted.filter((r) => !r.hidden).concat(sorted.filter((r) => r.hidden));
    sorted.forEach((r) => body.appendChild(r));
    heads.forEach((th, i) => {
      if (i === sortCol) th.setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    });
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

  // The explorer's own keys in the address; any other parameter stays as it was.
  function remember() {
    const params = new URLSearchParams(location.search);
    for (const name of fields.concat(["sort", "order"])) params.delete(name);
    for (const name of fields) {
      const value = form.elements[name].value.trim();
      if (value) params.set(name, value);
    }
    if (sortCol >= 0) {
      params.set("sort", heads[sortCol].dataset.epKey);
      if (sortDir < 0) params.set("order", "desc");
    }
    const query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function update() {
    filter();
    arrange();
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
      arrange();
      remember();
    });
  });

  // The view the address names; a value the lists do not offer (an old link) shows every EP
  // rather than none, and leaves the address.
  const params = new URLSearchParams(location.search);
  for (const name of fields) {
    const wanted = params.get(name) || "";
    const element = form.elements[name];
    element.value = wanted;
    if (element.value !== wanted) element.value = "";
  }
  const wanted = heads.findIndex((th) => th.dataset.epKey === params.get("sort"));
  if (wanted >= 0) {
    sortCol = wanted;
    sortDir = params.get("order") === "desc" ? -1 : 1;
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", (event) => event.preventDefault());
  // "Clear" clears the whole view, the order included.
  form.addEventListener("reset", () => {
    sortCol = -1;
    sortDir = 1;
    setTimeout(update);
  });
  // A page restored from the back/forward cache keeps its fields; the rows must follow them.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) update();
  });
  root.hidden = false;
  update();
})();
