"""The preview page: one HTML document with its style and script inline, allowed by their
hashes in the Content-Security-Policy (nothing else may run or load, and nothing comes from
another address)."""

from __future__ import annotations

import base64
import hashlib

STYLE = """
:root { color-scheme: light; --bar: #23262b; --ink: #1d1f23; }
* { box-sizing: border-box; }
body { margin: 0; background: #8a8f98; font: 14px/1.4 system-ui, sans-serif; color: var(--ink); }
#top { position: fixed; top: 0; left: 0; right: 0; z-index: 2; }
header { display: flex; flex-wrap: wrap; gap: 6px 14px;
  align-items: center; padding: 7px 14px; background: var(--bar); color: #eef0f3; }
header .name { font-weight: 600; }
header select { font: inherit; }
header a { color: #9fd0ff; }
header .counts span { margin-right: 10px; }
header .counts .some { color: #ffcf70; }
#busy { color: #9fd0ff; visibility: hidden; }
#busy.on { visibility: visible; }
#error { display: none; margin: 0; padding: 10px 14px; max-height: 40vh; overflow: auto;
  background: #fbe3e4; color: #7d1016; border-bottom: 2px solid #c9252d;
  box-shadow: 0 2px 6px rgba(0, 0, 0, .3); }
#error.on { display: block; }
#error pre { margin: 4px 0 0; white-space: pre-wrap; font: 13px/1.45 ui-monospace, monospace; }
#lost { display: none; padding: 6px 14px; background: #ece3c8; }
#lost.on { display: block; }
details#warnings { margin: 0; padding: 4px 14px; background: #fff6df; max-height: 40vh;
  overflow: auto; }
details#warnings[hidden] { display: none; }
details#warnings pre { white-space: pre-wrap; font: 12px/1.4 ui-monospace, monospace; }
main { display: flex; flex-direction: column; align-items: center; gap: 16px;
  padding: 56px 8px 40vh; }
main figure { margin: 0; width: min(100%, 900px); }
main img { display: block; width: 100%; height: auto; background: #fff;
  box-shadow: 0 1px 5px rgba(0, 0, 0, .35); }
main figcaption { text-align: center; color: #f3f4f6; font-size: 12px; padding-top: 3px; }
#empty { color: #f3f4f6; padding: 40px; }
"""

SCRIPT = """
"use strict";
const $ = (id) => document.getElementById(id);
const main = $("pages");
let edition = null;      // the edition shown
let shownBuild = -1;     // the build whose pages are shown
let shownPages = [];     // [{n, v, w, h}] as shown
let editionNames = "";
let swapping = false;
let switchedAt = 0;      // the page being read when another edition was chosen
let failures = 0;

function fromHash() {
  const found = new URLSearchParams(location.hash.slice(1));
  return { edition: found.get("edition"), page: parseInt(found.get("page") || "0", 10) || 0 };
}

function currentPage() {
  // The page under the middle of the window, 1-based (0: none).
  const figures = main.querySelectorAll("figure");
  const middle = window.innerHeight / 2;
  for (let i = 0; i < figures.length; i++) {
    const box = figures[i].getBoundingClientRect();
    if (box.bottom >= middle) return i + 1;
  }
  return figures.length;
}

function remember() {
  if (!edition) return;
  const page = currentPage();
  const hash = "#edition=" + encodeURIComponent(edition) + (page ? "&page=" + page : "");
  if (location.hash !== hash) history.replaceState(null, "", hash);
}

function scrollToPage(page) {
  const figure = main.querySelectorAll("figure")[page - 1];
  if (figure) window.scrollTo(0, window.scrollY + figure.getBoundingClientRect().top - 50);
}

function pageUrl(p) {
  return "/pages/" + encodeURIComponent(edition) + "/" + p.n + ".png?v=" + p.v;
}

function load(url) {
  const image = new Image();
  image.src = url;
  return image.decode().then(() => image, () => image);
}

async function showPages(state, newEdition) {
  swapping = true;
  try {
    const pages = state.pages;
    // Fetch every changed image first, then swap them all at once.
    const ready = await Promise.all(pages.map((p, i) => {
      const old = shownPages[i];
      return (!newEdition && old && old.v === p.v) ? null : load(pageUrl(p));
    }));
    const keepY = window.scrollY;
    const keepPage = newEdition ? (switchedAt || fromHash().page || 1) : currentPage();
    const sameShape = !newEdition && pages.length === shownPages.length &&
      pages.every((p, i) => p.w === shownPages[i].w && p.h === shownPages[i].h);
    let figures = main.querySelectorAll("figure");
    for (let i = figures.length; i < pages.length; i++) {
      const figure = document.createElement("figure");
      const img = document.createElement("img");
      const caption = document.createElement("figcaption");
      figure.append(img, caption);
      main.append(figure);
    }
    figures = main.querySelectorAll("figure");
    for (let i = pages.length; i < figures.length; i++) figures[i].remove();
    pages.forEach((p, i) => {
      const img = figures[i].querySelector("img");
      img.width = p.w; img.height = p.h;
      img.alt = "Page " + p.n;
      img.dataset.v = p.v;
      if (ready[i]) img.src = ready[i].src;
      figures[i].querySelector("figcaption").textContent = p.n + " / " + pages.length;
    });
    $("empty").hidden = pages.length > 0;
    if (sameShape) window.scrollTo(0, keepY);
    else if (keepPage) scrollToPage(Math.min(keepPage, pages.length));
    shownPages = pages;
    shownBuild = state.pages_build;
    switchedAt = 0;
    document.body.dataset.build = String(state.pages_build);
    remember();
  } finally {
    swapping = false;
  }
}

function showEditions(state) {
  const names = state.editions.join("\\n");
  if (names === editionNames) return;
  editionNames = names;
  const select = $("edition");
  select.replaceChildren(...state.editions.map((name) => {
    const option = document.createElement("option");
    option.value = name; option.textContent = name;
    return option;
  }));
  select.value = edition;
}

function showState(state) {
  showEditions(state);
  $("build").textContent = "build " + state.build;
  $("busy").classList.toggle("on", state.building);
  $("page-count").textContent = state.page_count + " page(s)";
  const warnings = $("warning-count"), fallbacks = $("fallback-count");
  warnings.textContent = state.warnings + " warning(s)";
  warnings.classList.toggle("some", state.warnings > 0);
  fallbacks.textContent = state.fallbacks + " untranslated";
  fallbacks.classList.toggle("some", state.fallbacks > 0);
  $("warnings").hidden = state.warnings === 0;
  $("warning-list").textContent = state.warning_list.join("\\n");
  const error = $("error");
  error.classList.toggle("on", !!state.error);
  $("error-text").textContent = state.error ? state.error.map((e) => e.text).join("\\n") : "";
  if (state.page_count === 0) {
    $("empty").textContent = state.error ? "No good build yet: the error is above."
      : "Building the first pages\u2026";
  }
  $("pdf").href = state.downloads.pdf || "#";
  $("docx").href = state.downloads.docx || "#";
  document.title = (state.error ? "\\u2716 " : "") + edition + " \\u00b7 diglot preview";
}

async function poll() {
  let wait = 300;
  try {
    const asked = edition;
    const response = await fetch("/state" + (asked ? "?edition=" + encodeURIComponent(asked) : ""),
                                 { cache: "no-store" });
    if (!response.ok) throw new Error(String(response.status));
    const state = await response.json();
    failures = 0;
    $("lost").classList.remove("on");
    if (edition === null || !state.editions.includes(edition)) edition = state.edition;
    if (state.edition === edition) {
      showState(state);
      const newEdition = main.dataset.edition !== edition;
      // An edition not built yet keeps the pages shown until its own are there.
      if (!swapping && state.pages_build > 0 &&
          (newEdition || state.pages_build !== shownBuild)) {
        main.dataset.edition = edition;
        await showPages(state, newEdition);
      }
    }
  } catch (exc) {
    failures += 1;
    if (failures > 2) $("lost").classList.add("on");
    wait = 1000;
  }
  setTimeout(poll, wait);
}

$("edition").addEventListener("change", (event) => {
  const page = currentPage();
  switchedAt = page;
  edition = event.target.value;
  history.replaceState(null, "", "#edition=" + encodeURIComponent(edition) + "&page=" + page);
  shownBuild = -1;
});
let timer = 0;
window.addEventListener("scroll", () => {
  clearTimeout(timer);
  timer = setTimeout(remember, 150);
});
edition = fromHash().edition;
poll();
"""


def _body() -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>diglot preview</title>
<style>{STYLE}</style>
</head>
<body>
<div id="top">
<header>
  <span class="name">diglot preview</span>
  <label>Edition <select id="edition" aria-label="Edition"></select></label>
  <span class="counts"><span id="build"></span><span id="page-count"></span>
    <span id="warning-count"></span><span id="fallback-count"></span></span>
  <span>Download <a id="pdf" href="#" download>PDF</a> ·
    <a id="docx" href="#" download>DOCX</a></span>
  <span id="busy">building…</span>
</header>
<div id="error" role="alert"><strong>The last build failed; the pages below are the last good
ones.</strong><pre id="error-text"></pre></div>
<div id="lost">The preview server does not answer; retrying.</div>
<details id="warnings" hidden><summary>Warnings</summary><pre id="warning-list"></pre></details>
</div>
<main id="pages"><p id="empty">Building the first pages…</p></main>
<script>{SCRIPT}</script>
</body>
</html>
"""


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


HTML = _body().encode()
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; script-src {_hash(SCRIPT)}; style-src {_hash(STYLE)}; "
    "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'")
