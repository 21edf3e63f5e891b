// Searching: a progress bar and stage text driven only by the server's `progress` events.
// Events can arrive out of order, so the bar keeps the highest percent it has seen.

import { giftDrawing } from "/assets/js/components/giftCard.js";
import { h } from "/assets/js/dom.js";
import { has, t } from "/assets/js/i18n.js";

/** Where each stage starts and how much of the bar it spans, for events without `percent`. */
const STAGE_SPANS = { profiling: [2, 5], interview: [5, 5], ideas: [10, 10], searching: [20, 50], scoring: [70, 25], done: [100, 0] };

/** The percent an event stands for: the server's `percent`, else placed by stage and count. */
export function percentOf(data) {
  if (Number.isFinite(Number(data?.percent))) return Math.max(0, Math.min(100, Math.round(Number(data.percent))));
  const [start, span] = STAGE_SPANS[data?.stage] ?? [0, 0];
  const total = Number(data?.total) || 0;
  const share = total > 0 ? Math.min(1, (Number(data?.done) || 0) / total) : 0;
  return Math.round(start + span * share);
}

/** Returns `{node, progress(data)}` for the search of one chat. */
export function createSearching() {
  let percent = 0;
  const fill = h("div", { class: "progress-fill" });
  const bar = h(
    "div",
    { class: "progress", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": "0", "aria-labelledby": "search-stage", dataset: { testid: "search-progress" } },
    fill,
  );
  const stage = h("p", { class: "search-stage", id: "search-stage" }, t("search.stage.waiting"));
  const detail = h("p", { class: "search-detail muted", "aria-live": "polite" });
  const node = h(
    "section",
    { class: "searching card", "aria-labelledby": "search-heading" },
    h("div", { class: "search-illustration" }, giftDrawing("gift", "search-gift")),
    h("h2", { id: "search-heading" }, t("search.heading")),
    stage,
    bar,
    detail,
    h("p", { class: "muted search-note" }, t("search.note")),
  );

  function show(value) {
    bar.setAttribute("aria-valuenow", String(value));
    bar.setAttribute("aria-valuetext", `${value}% · ${stage.textContent}`);
    fill.style.width = `${value}%`;
  }

  return {
    node,
    /** A `progress` event: `{stage, done, total, message, percent}`. */
    progress(data) {
      const next = percentOf(data);
      if (next < percent) return;
      percent = next;
      const key = `search.stage.${data?.stage}`;
      stage.textContent = has(key) ? t(key) : t("search.stage.waiting");
      detail.textContent = data?.message ?? "";
      show(percent);
    },
    percent: () => percent,
  };
}
