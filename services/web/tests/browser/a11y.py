"""Accessibility checks over a page's DOM, hand-written after WCAG 2.1 AA: the language is
named, the landmarks are there (one banner, one main, navigation, a footer) and one h1; every
control has a label and every button and link a name; ids are unique; charts have a name;
and every visible piece of text meets its contrast ratio against the background it is drawn
on (4.5:1, or 3:1 for large text)."""

from __future__ import annotations

from playwright.async_api import Page

_CHECKS = r"""
() => {
  const problems = [];
  const visible = (el) => {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return style.visibility !== "hidden" && style.display !== "none" &&
      box.width > 0 && box.height > 0;
  };
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (typeof el.className === "string" && el.className ? "." + el.className.replace(/ /g, ".") : "");

  if (!document.documentElement.lang) problems.push("html has no lang");
  if (document.querySelectorAll("main").length !== 1) problems.push("not exactly one main");
  if (!document.querySelector("body > header")) problems.push("no banner (header)");
  if (!document.querySelector("nav")) problems.push("no navigation");
  if (!document.querySelector("body > footer")) problems.push("no contentinfo (footer)");
  if (document.querySelectorAll("h1").length !== 1) problems.push("not exactly one h1");
  if (!document.title.trim()) problems.push("no title");

  const ids = {};
  for (const el of document.querySelectorAll("[id]")) {
    if (ids[el.id]) problems.push("duplicate id " + el.id);
    ids[el.id] = true;
  }
  for (const control of document.querySelectorAll("input, select, textarea")) {
    if (control.type === "hidden") continue;
    const labelled = control.labels && control.labels.length > 0 ||
      control.getAttribute("aria-label") || control.getAttribute("aria-labelledby");
    if (!labelled) problems.push("no label: " + describe(control));
  }
  for (const el of document.querySelectorAll("a[href], button")) {
    if (!visible(el)) continue;
    const name = (el.innerText || el.getAttribute("aria-label") || "").trim();
    if (!name) problems.push("no name: " + describe(el));
  }
  for (const svg of document.querySelectorAll("svg[role=img]")) {
    const title = svg.querySelector("title");
    if (!title || !title.textContent.trim()) problems.push("chart without a title");
  }

  const rgba = (text) => {
    const m = text.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const parts = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  };
  const luminance = (c) => {
    const lin = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
  };
  const background = (el) => {
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const tag = node.tagName.toLowerCase();
      const style = getComputedStyle(node);
      if (node instanceof SVGElement && tag !== "svg") continue;
      const color = rgba(style.backgroundColor);
      if (color && color.a > 0.5) return color;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || seen.has(el) || !visible(el)) continue;
    if (el.closest("[hidden], script, style, title")) continue;
    seen.add(el);
    const style = getComputedStyle(el);
    const isSvg = el instanceof SVGElement;
    const fg = rgba(isSvg ? style.fill : style.color);
    if (!fg) continue;
    const bg = background(el);
    const [light, dark] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (light + 0.05) / (dark + 0.05);
    const size = parseFloat(style.fontSize);
    const bold = parseInt(style.fontWeight, 10) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) {
      const text = node.textContent.trim().slice(0, 30);
      problems.push(`contrast ${ratio.toFixed(2)} < ${needed}: ${describe(el)} '${text}'`);
    }
  }
  return problems;
}
"""


async def accessibility_problems(page: Page) -> list[str]:
    return await page.evaluate(_CHECKS)
