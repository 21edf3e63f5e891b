// Small DOM helpers: the app builds its screens from plain elements, no framework.

/**
 * Creates an element. `props`: `class`, `text`, `on<Event>` handlers (onClick, onInput…),
 * `dataset` (object), `style` (string), booleans as present/absent attributes, anything
 * else as an attribute. Children: nodes, strings, numbers, arrays of them; null/false skipped.
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") element.className = value;
    else if (name === "text") element.textContent = value;
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

/** Appends children (nested arrays, strings, nodes; null/false skipped). */
export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
  return parent;
}

/** Replaces everything inside `parent` with `children`. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/** An element only screen readers see. */
export function srOnly(text) {
  return h("span", { class: "sr-only" }, text);
}

/** The app's SVG icons (decorative: hidden from assistive technology). */
export function icon(name) {
  return drawing(ICONS[name] ?? ICONS.dot, `icon icon-${name}`);
}

/** A decorative 24×24 SVG of one path (`d`), with `className`. */
export function drawing(d, className) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("class", className);
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("viewBox", "0 0 24 24");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", d);
  svg.append(path);
  return svg;
}

const ICONS = {
  dot: "M12 10a2 2 0 1 0 0 4 2 2 0 0 0 0-4z",
  heart:
    "M12 21s-7.5-4.6-9.5-9.2C1.1 8.6 3.2 5 6.6 5c2 0 3.4 1.1 4.4 2.5C12 6.1 13.4 5 15.4 5c3.4 0 5.5 3.6 4.1 6.8C19.5 16.4 12 21 12 21z",
  send: "M3 20.5 21 12 3 3.5 3 10l12 2-12 2z",
  back: "M15.5 4.5 8 12l7.5 7.5-1.4 1.4L5.2 12l8.9-8.9z",
  close: "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z",
  star: "M12 2.8l2.8 6 6.5.6-4.9 4.3 1.5 6.4L12 16.8 6.1 20.1l1.5-6.4-4.9-4.3 6.5-.6z",
  external: "M14 3h7v7h-2V6.4l-9.3 9.3-1.4-1.4L17.6 5H14zM5 5h6v2H7v10h10v-4h2v6H5z",
};

/** Moves focus to `element` (made focusable if needed) without scrolling jumps. */
export function focus(element) {
  if (!element) return;
  if (!element.hasAttribute("tabindex") && element.tabIndex < 0) {
    element.setAttribute("tabindex", "-1");
  }
  element.focus({ preventScroll: false });
}
