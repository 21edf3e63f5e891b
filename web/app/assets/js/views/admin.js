// Feedback from users (admins only; the server refuses everyone else): one page at a time,
// newest first, with the number of opinions and the average rating over all of them.

import { api, ApiError } from "/assets/js/api.js";
import { emptyState, loadInto, pageShell } from "/assets/js/components/pageKit.js";
import { focus, h, icon, srOnly } from "/assets/js/dom.js";
import { formatDateTime, formatNumber, t } from "/assets/js/i18n.js";

const PAGE_SIZE = 20;
/** The API's largest page, used to count everything for the summary. */
const SUMMARY_PAGE_SIZE = 100;
/** The summary stops counting after this many pages and says it is partial. */
const SUMMARY_MAX_PAGES = 50;

function pageFrom(query) {
  const page = Number.parseInt(query.get("page") ?? "1", 10);
  return Number.isInteger(page) && page >= 1 ? page : 1;
}

function feedbackPage(page, pageSize) {
  return api.get(`/feedback?page=${page}&pageSize=${pageSize}`);
}

/** Every rating, page by page (bounded), so the total and the average are of all feedback. */
async function summarise() {
  let count = 0;
  let sum = 0;
  for (let page = 1; page <= SUMMARY_MAX_PAGES; page += 1) {
    const items = (await feedbackPage(page, SUMMARY_PAGE_SIZE)) ?? [];
    count += items.length;
    sum += items.reduce((total, item) => total + (Number(item.rating) || 0), 0);
    if (items.length < SUMMARY_PAGE_SIZE) return { count, average: count ? sum / count : null, complete: true };
  }
  return { count, average: count ? sum / count : null, complete: false };
}

function stars(rating) {
  const value = Math.max(0, Math.min(5, Math.round(Number(rating) || 0)));
  return h(
    "span",
    { class: "feedback-stars", dataset: { testid: "stars" } },
    h(
      "span",
      { "aria-hidden": "true", class: "stars-icons" },
      [1, 2, 3, 4, 5].map((n) => {
        const star = icon("star");
        star.classList.add(n <= value ? "star-on" : "star-off");
        return star;
      }),
    ),
    srOnly(t("admin.ratingLabel", { rating: value })),
  );
}

function feedbackItem(item) {
  const comment = typeof item.comment === "string" && item.comment.trim() ? item.comment : null;
  return h(
    "li",
    { class: "card feedback-item", dataset: { testid: "feedback-item" } },
    h("div", { class: "feedback-head" }, stars(item.rating), h("time", { class: "muted", datetime: item.createdAt }, formatDateTime(item.createdAt))),
    comment ? h("blockquote", { class: "feedback-comment" }, comment) : h("p", { class: "muted" }, t("admin.noComment")),
    h(
      "dl",
      { class: "feedback-ids" },
      h("dt", {}, t("admin.chatId")),
      h("dd", {}, h("code", {}, item.chatId)),
      h("dt", {}, t("admin.userId")),
      h("dd", {}, h("code", {}, item.userId)),
    ),
  );
}

function summaryText({ count, average, complete }) {
  const total = complete ? t("admin.total", { count }) : t("admin.totalAtLeast", { count });
  if (average === null) return total;
  const value = formatNumber(Math.round(average * 10) / 10);
  return `${total} · ${t(complete ? "admin.average" : "admin.averageOfCounted", { average: value })}`;
}

function summaryBlock() {
  const node = h("p", { class: "admin-summary", role: "status", dataset: { testid: "feedback-summary" } }, t("admin.counting"));
  summarise()
    .then((summary) => {
      node.textContent = summaryText(summary);
    })
    .catch(() => {
      node.textContent = t("admin.summaryFailed");
    });
  return node;
}

function noAccess() {
  return h(
    "div",
    { class: "state", role: "alert", dataset: { testid: "no-access" } },
    h("h2", {}, t("app.forbidden.title")),
    h("p", {}, t("app.forbidden.text")),
  );
}

function pager(page, hasNext, go) {
  const previous = h("button", { type: "button", class: "button button-small button-secondary", disabled: page <= 1, dataset: { testid: "page-previous" } }, t("admin.previous"));
  const next = h("button", { type: "button", class: "button button-small button-secondary", disabled: !hasNext, dataset: { testid: "page-next" } }, t("admin.next"));
  previous.addEventListener("click", () => go(page - 1));
  next.addEventListener("click", () => go(page + 1));
  return h(
    "nav",
    { class: "pager", "aria-label": t("admin.pages") },
    previous,
    h("span", { "aria-current": "page", dataset: { testid: "page-number" } }, t("admin.page", { page })),
    next,
  );
}

function renderPage(items, page, go) {
  if (!items.length && page === 1) return emptyState({ title: t("admin.emptyTitle"), text: t("admin.emptyText") });
  if (!items.length) {
    return emptyState({
      title: t("admin.pastEndTitle"),
      text: t("admin.pastEndText"),
      action: h("button", { type: "button", class: "button", onClick: () => go(1) }, t("admin.firstPage")),
    });
  }
  return [
    h("ul", { class: "feedback-list", dataset: { testid: "feedback-list" } }, items.map(feedbackItem)),
    page > 1 || items.length === PAGE_SIZE ? pager(page, items.length === PAGE_SIZE, go) : null,
  ];
}

export default async function admin(ctx) {
  const summarySlot = h("div", {}, summaryBlock());
  const { node, region, title } = pageShell("admin", { before: [summarySlot] });
  const forbidden = (error) => {
    if (!(error instanceof ApiError && error.status === 403)) return null;
    summarySlot.replaceChildren();
    return noAccess();
  };
  const show = (page) => {
    ctx.setQuery({ page: page > 1 ? page : null });
    const go = (target) => show(target).then(() => focus(region.querySelector("[data-testid=page-number], h2")));
    return loadInto(region, () => feedbackPage(page, PAGE_SIZE), (items) => renderPage(items ?? [], page, go), { onError: forbidden });
  };
  show(pageFrom(ctx.query));
  return { title, node };
}
