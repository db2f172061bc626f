// Makes the islands of a respondent's page live: loads the respondents' bundle (the files beside
// this one) when the browser is idle and hydrates each <leptos-island> with its entry. A static
// file, so that browsers keep it (Leptos' own island script is inline in every page); the logic
// is that script's. Then a question page that its island let through is posted in the
// background and answered with the next page, which replaces this one: one request per page
// instead of a post and a redirected get (a page that cannot be posted so goes out as a plain
// form).
const nestedChildren = [];

async function hydrateIsland(el, mod) {
  const entry = mod[el.dataset.component];
  if (!entry) {
    console.warn(`no entry for the island ${el.dataset.component}`);
    return;
  }
  const onHydrate = nestedChildren[nestedChildren.length - 1];
  if (onHydrate) onHydrate();
  const done = entry(el);
  if (done && done.then) await done;
}

async function traverse(node, mod) {
  if (node.nodeType !== Node.ELEMENT_NODE) return;
  const tag = node.tagName.toLowerCase();
  if (tag === "leptos-island") {
    await hydrateIsland(node, mod);
    for (const child of node.children) await traverse(child, mod);
  } else if (tag === "leptos-children") {
    nestedChildren.push(node.$$on_hydrate);
    for (const child of node.children) await traverse(child, mod);
    nestedChildren.pop();
  } else {
    for (const child of node.children) await traverse(child, mod);
  }
}

function idle(run) {
  if ("requestIdleCallback" in window) window.requestIdleCallback(run);
  else run();
}

// Shows the page a live post was answered with, under its own address.
async function show(html, address, mod) {
  const page = new DOMParser().parseFromString(html, "text/html");
  document.title = page.title;
  document.body.replaceWith(page.body);
  history.pushState(null, "", address);
  window.scrollTo(0, 0);
  await traverse(document.body, mod);
  const first = document.querySelector(address.endsWith("#errors") ? "#errors" : "h1");
  if (first) {
    first.tabIndex = -1;
    first.focus();
  }
}

function postLive(mod) {
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    // Only a question page's form, once its island has found no problem in it.
    if (event.defaultPrevented || !form.closest(".live")) return;
    event.preventDefault();
    // A second press while the page is on its way waits for the answer.
    if (form.dataset.busy) return;
    form.dataset.busy = "1";
    const fields = new FormData(form);
    const go = event.submitter && event.submitter.name === "_go" ? event.submitter.value : "next";
    fields.set("_go", go);
    try {
      const answer = await fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(fields),
        headers: { "X-Orientir-Live": "1" },
      });
      const page = answer.headers.get("X-Orientir-Page");
      if (!answer.ok) throw new Error(answer.status);
      // A question page comes with its address; the start or thank-you page by a redirect
      // (shown as it came: the thank-you page shows a diagnostic's result key only once).
      await show(await answer.text(), page || answer.url, mod);
    } catch (_) {
      // As a plain form, which the server takes the same way (a page saved twice is one page).
      const input = Object.assign(document.createElement("input"), { type: "hidden", name: "_go", value: go });
      form.append(input);
      HTMLFormElement.prototype.submit.call(form);
    }
  });
  // Back and forward lead to pages shown here: each is loaded from its address.
  window.addEventListener("popstate", () => location.reload());
  // A page the browser kept and brings back is not on its way anywhere.
  window.addEventListener("pageshow", () => {
    for (const form of document.querySelectorAll("form[data-busy]")) delete form.dataset.busy;
  });
}

idle(async () => {
  const mod = await import(new URL("./respondent.js", import.meta.url));
  await mod.default({ module_or_path: new URL("./respondent.wasm", import.meta.url) });
  mod.hydrate();
  await traverse(document.body, mod);
  postLive(mod);
});
