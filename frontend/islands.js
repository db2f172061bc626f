// Makes the islands of a respondent's page live: loads the respondents' bundle (the files beside
// this one) when the browser is idle and hydrates each <leptos-island> with its entry. A static
// file, so that browsers keep it (Leptos' own island script is inline in every page); the logic
// is that script's.
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

idle(async () => {
  const mod = await import(new URL("./respondent.js", import.meta.url));
  await mod.default({ module_or_path: new URL("./respondent.wasm", import.meta.url) });
  mod.hydrate();
  await traverse(document.body, mod);
});
