// Accessibility fixes of the theme's and myst-nb's markup, applied on load (the pages' own
// markup comes from pydata-sphinx-theme 0.17, sphinx-book-theme 1.3 and myst-nb 1.4).
//
// WCAG 2.5.3 (axe-core's label-content-name-mismatch, a serious violation): a control's
// accessible name must contain the text it shows.
// - The search buttons show "Search Ctrl+K" but are named "Search" by an aria-label, and a
//   code cell's toggle shows "Show code cell source" but is named "Toggle hidden content":
//   without the aria-label their name is their text.
// - The icons inside a named button (the colour-mode switch's sun, moon and half circle, whose
//   titles "Light", "Dark", ... Font Awesome turns into SVG titles) are decoration: hidden from
//   assistive technology and untitled, so the button's name is its label alone.
// WCAG 4.1.2 (summary-name, serious): the side bar's toggles that open a section (a summary
// holding only a chevron icon) are named after the section they open.
// ARIA lists (aria-required-children, critical): Sphinx's bibliography is a role="list" whose
// entries carry role="doc-biblioentry", which ARIA 1.2 no longer allows as a list's child;
// they become list items.
// WCAG 2.1.1 (scrollable-region-focusable, serious): a region that scrolls must be reachable by
// keyboard. The theme gives tabindex=0 to the regions that scroll when the page is parsed; a
// region that starts scrolling later (a figure or table once fonts and scripts have drawn)
// gets it here.
function mtjAccessibleNames() {
  for (const el of document.querySelectorAll(".search-button__button[aria-label], " +
                                             "summary[aria-label]")) {
    if (el.textContent.trim()) el.removeAttribute("aria-label");
  }
  for (const icon of document.querySelectorAll("button[aria-label] i, button[aria-label] svg")) {
    icon.setAttribute("aria-hidden", "true");
    for (const a of ["title", "role", "aria-labelledby"]) icon.removeAttribute(a);
    for (const t of icon.querySelectorAll("title")) t.remove();
  }
}
function mtjSidebarToggles() {
  for (const summary of document.querySelectorAll("nav details > summary")) {
    if (summary.textContent.trim() || summary.hasAttribute("aria-label")) continue;
    const link = summary.parentElement.previousElementSibling;
    const name = link ? link.textContent.trim() : "";
    summary.setAttribute("aria-label", name ? `pages under ${name}` : "more pages");
  }
  for (const entry of document.querySelectorAll(
      '[role="list"] > [role="doc-biblioentry"]')) {
    entry.setAttribute("role", "listitem");
  }
}
function mtjScrollableTabStops() {
  for (const el of document.querySelectorAll("main *")) {
    if (el.hasAttribute("tabindex") || el.matches("a, button, input, select, textarea")) continue;
    const s = getComputedStyle(el);
    const scrolls = (/(auto|scroll)/.test(s.overflowX) && el.scrollWidth > el.clientWidth) ||
                    (/(auto|scroll)/.test(s.overflowY) && el.scrollHeight > el.clientHeight);
    if (scrolls) el.setAttribute("tabindex", "0");
  }
}
function mtjAccessibility() {
  mtjAccessibleNames();
  mtjSidebarToggles();
  mtjScrollableTabStops();
}
document.addEventListener("DOMContentLoaded", mtjAccessibility);
// after Font Awesome has drawn its icons and the fonts have loaded
window.addEventListener("load", () => document.fonts.ready.then(mtjAccessibility));
