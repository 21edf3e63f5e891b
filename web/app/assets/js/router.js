// Client-side routing over the History API. Each screen is a module in views/ whose default
// export renders it: `async (ctx) => ({ title, node, cleanup? })`.

import { ApiError } from "/assets/js/api.js";
import { h, replace, focus } from "/assets/js/dom.js";
import { t } from "/assets/js/i18n.js";
import { currentUser } from "/assets/js/session.js";

const UUID = "([0-9a-fA-F-]{36})";

/** The app's screens. `auth`: only for signed-in users; `admin`: only for admins. */
const ROUTES = [
  { path: "/login", view: "login" },
  { path: "/auth/google/callback", view: "google-callback" },
  { path: "/start", view: "start", auth: true },
  { path: `/chat/${UUID}`, view: "chat", auth: true, params: ["chatId"] },
  { path: "/saved", view: "saved", auth: true },
  { path: "/history", view: "history", auth: true },
  { path: "/profiles", view: "profiles", auth: true },
  { path: "/account", view: "account", auth: true },
  { path: "/admin", view: "admin", auth: true, admin: true },
].map((route) => ({ ...route, pattern: new RegExp(`^${route.path}/?$`) }));

const main = () => document.getElementById("main");
let current = null;
let renderCount = 0;

function match(pathname) {
  for (const route of ROUTES) {
    const found = route.pattern.exec(pathname);
    if (found) {
      const params = Object.fromEntries((route.params ?? []).map((name, i) => [name, found[i + 1]]));
      return { route, params };
    }
  }
  return null;
}

/** Goes to `url` (a same-origin path with optional query) without reloading the page. */
export function navigate(url, { replace: replaceEntry = false } = {}) {
  const target = new URL(url, window.location.origin);
  if (target.pathname === "/") {
    // The landing page is rendered by the server.
    window.location.assign(target.href);
    return;
  }
  const method = replaceEntry ? "replaceState" : "pushState";
  window.history[method](null, "", target.pathname + target.search + target.hash);
  render();
}

/** Rewrites the current URL's query (filters, sorting) without a new history entry. */
export function setQuery(values) {
  const url = new URL(window.location.href);
  for (const [name, value] of Object.entries(values)) {
    if (value === null || value === undefined || value === "") url.searchParams.delete(name);
    else url.searchParams.set(name, String(value));
  }
  window.history.replaceState(null, "", url.pathname + url.search + url.hash);
}

/** Where to send someone who must sign in first, coming back here afterwards. */
export function loginUrl(next = window.location.pathname + window.location.search) {
  return `/login?next=${encodeURIComponent(next)}`;
}

/** A same-origin path to go to after sign-in (never an outside address). */
export function safeNext(value) {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") ? value : "/start";
}

async function render() {
  const token = ++renderCount;
  const { pathname } = window.location;
  const found = match(pathname);
  current?.cleanup?.();
  current = null;
  markNavigation(pathname);
  if (!found) {
    show(token, stateView(t("app.notFound.title"), t("app.notFound.text")));
    return;
  }
  const { route, params } = found;
  if (route.auth && !currentUser()) {
    navigate(loginUrl(), { replace: true });
    return;
  }
  if (route.admin && currentUser()?.role !== "admin") {
    show(token, stateView(t("app.forbidden.title"), t("app.forbidden.text")));
    return;
  }
  const container = main();
  container.setAttribute("aria-busy", "true");
  replace(container, h("p", { class: "state state-loading", role: "status" }, t("app.loading")));
  try {
    const module = await import(`/assets/js/views/${route.view}.js`);
    const ctx = { params, query: new URLSearchParams(window.location.search), navigate, setQuery };
    const screen = await module.default(ctx);
    if (token !== renderCount) {
      screen.cleanup?.();
      return;
    }
    current = screen;
    show(token, screen);
  } catch (error) {
    if (token !== renderCount) return;
    show(token, errorView(error));
  }
}

function show(token, screen) {
  if (token !== renderCount) return;
  const container = main();
  container.removeAttribute("aria-busy");
  replace(container, screen.node);
  document.title = screen.title ? `${screen.title} · Present Finder` : "Present Finder";
  // After a navigation, move focus to the new screen's heading for screen-reader users.
  if (token > 1) focus(container.querySelector("h1") ?? container);
}

function stateView(title, text, ...actions) {
  return {
    title,
    node: h("section", { class: "state" }, h("h1", {}, title), h("p", {}, text), ...actions),
  };
}

function errorView(error) {
  if (error instanceof ApiError && error.status === 404) {
    return stateView(t("app.notFound.title"), t("app.notFound.text"));
  }
  const text = error instanceof ApiError && error.status === 0 ? t("app.offline") : t("app.error.text");
  return stateView(
    t("app.error.title"),
    text,
    h("button", { class: "button", type: "button", onClick: () => render() }, t("app.retry")),
  );
}

function markNavigation(pathname) {
  for (const link of document.querySelectorAll("header nav a[href]")) {
    const href = new URL(link.href).pathname;
    const active = href === pathname || (href !== "/" && pathname.startsWith(`${href}/`));
    if (active) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

function interceptLinks(event) {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target.closest("a[href]");
  if (!link || link.target || link.hasAttribute("download") || link.dataset.reload !== undefined) return;
  const url = new URL(link.href);
  if (url.origin !== window.location.origin || url.pathname === "/" || url.searchParams.has("lang")) return;
  if (!match(url.pathname)) return;
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
}

/** Starts routing: renders the current screen (the landing page is already rendered). */
export function startRouter() {
  document.addEventListener("click", interceptLinks);
  window.addEventListener("popstate", () => {
    if (window.location.pathname === "/") window.location.reload();
    else render();
  });
  if (window.location.pathname === "/") {
    renderCount += 1;
    markNavigation("/");
  } else {
    render();
  }
}
