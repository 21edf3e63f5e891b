// Results: gift cards with filters (text, marketplace, price range, category) and sorting,
// all kept in the address so a reload or a shared link shows the same view.

import { categoryLabel, giftCard, marketplaceName } from "/assets/js/components/giftCard.js";
import { h, replace } from "/assets/js/dom.js";
import { t } from "/assets/js/i18n.js";

export const SORTS = ["best", "price-asc", "price-desc"];
const FILTER_PARAMS = ["q", "shop", "cat", "min", "max"];

/** The filters and sorting read from the address. */
export function readFilters(query) {
  const number = (name) => {
    const value = Number.parseFloat(query.get(name) ?? "");
    return Number.isFinite(value) && value >= 0 ? value : null;
  };
  const sort = query.get("sort");
  return {
    q: query.get("q") ?? "",
    shop: query.get("shop") ?? "",
    cat: query.get("cat") ?? "",
    min: number("min"),
    max: number("max"),
    sort: SORTS.includes(sort) ? sort : "best",
  };
}

const priceOf = (listing) => (typeof listing.price?.value === "number" ? listing.price.value : null);

/** The listings passing `filters`, in the chosen order (best match = the server's rank). */
export function applyFilters(listings, filters) {
  const needle = filters.q.trim().toLocaleLowerCase();
  const found = listings.filter((listing) => {
    if (needle) {
      const text = [listing.title, listing.description, listing.category, listing.reasoning].join(" ").toLocaleLowerCase();
      if (!text.includes(needle)) return false;
    }
    if (filters.shop && listing.provider !== filters.shop) return false;
    if (filters.cat && listing.category !== filters.cat) return false;
    const price = priceOf(listing);
    if (filters.min !== null && (price === null || price < filters.min)) return false;
    if (filters.max !== null && (price === null || price > filters.max)) return false;
    return true;
  });
  if (filters.sort === "best") return found;
  const direction = filters.sort === "price-asc" ? 1 : -1;
  return [...found].sort((a, b) => {
    const pa = priceOf(a);
    const pb = priceOf(b);
    if (pa === null || pb === null) return (pa === null) - (pb === null);
    return (pa - pb) * direction;
  });
}

const isFiltered = (filters) => FILTER_PARAMS.some((name) => filters[name] !== "" && filters[name] !== null);

function uniqueValues(listings, field) {
  return [...new Set(listings.map((listing) => listing[field]).filter(Boolean))];
}

function selectField(id, label, options, value) {
  const select = h(
    "select",
    { id, name: id },
    options.map((option) => h("option", { value: option.value, selected: option.value === value }, option.label)),
  );
  return { node: h("div", { class: "field" }, h("label", { for: id }, label), select), control: select };
}

function inputField(id, label, attributes) {
  const input = h("input", { id, name: id, ...attributes });
  return { node: h("div", { class: "field" }, h("label", { for: id }, label), input), control: input };
}

/**
 * The results view for `listings` (rank order). `ctx` gives the address (`query`, `setQuery`);
 * `onRefine(listing, verdict)` adds "more like this / not this" to every card.
 * Returns `{node, setListings(listings), setRefining(state)}`.
 */
export function createResults({ ctx, listings: initial, partial = false, onRefine = null }) {
  let listings = initial;
  let refining = false;
  let filters = readFilters(ctx.query);
  const grid = h("ul", { class: "gift-grid", dataset: { testid: "gift-grid" } });
  const count = h("p", { class: "results-count", role: "status", dataset: { testid: "results-count" } });
  const empty = h("div", { class: "state results-empty", hidden: true });
  const toolbar = h("div", { class: "results-toolbar card" });
  const refineStatus = h("p", { class: "notice refine-status", role: "status", dataset: { testid: "refine-status" }, hidden: true });
  const refineHint = onRefine ? h("p", { class: "muted refine-hint" }, t("results.refineHint")) : null;
  const node = h(
    "section",
    { class: "results", "aria-labelledby": "results-heading" },
    h("h2", { id: "results-heading", class: "sr-only" }, t("results.listHeading")),
    partial ? h("p", { class: "notice" }, t("results.partial")) : null,
    toolbar,
    refineHint,
    refineStatus,
    count,
    grid,
    empty,
  );

  function writeAddress() {
    ctx.setQuery({ q: filters.q, shop: filters.shop, cat: filters.cat, min: filters.min, max: filters.max, sort: filters.sort === "best" ? null : filters.sort });
  }

  function buildToolbar() {
    const text = inputField("filter-text", t("results.filters.text"), { type: "search", value: filters.q, placeholder: t("results.filters.textPlaceholder"), autocomplete: "off" });
    const shops = uniqueValues(listings, "provider").sort((a, b) => marketplaceName(a).localeCompare(marketplaceName(b)));
    const shop = selectField("filter-shop", t("results.filters.shop"), [{ value: "", label: t("results.filters.all") }, ...shops.map((value) => ({ value, label: marketplaceName(value) }))], filters.shop);
    const categories = uniqueValues(listings, "category").sort((a, b) => categoryLabel(a).localeCompare(categoryLabel(b)));
    const category = selectField("filter-category", t("results.filters.category"), [{ value: "", label: t("results.filters.all") }, ...categories.map((value) => ({ value, label: categoryLabel(value) }))], filters.cat);
    const min = inputField("filter-min", t("results.filters.min"), { type: "number", min: 0, step: 1, inputmode: "decimal", value: filters.min ?? "" });
    const max = inputField("filter-max", t("results.filters.max"), { type: "number", min: 0, step: 1, inputmode: "decimal", value: filters.max ?? "" });
    const sort = selectField("sort", t("results.sort.label"), SORTS.map((value) => ({ value, label: t(`results.sort.${value}`) })), filters.sort);
    const read = () => {
      const price = (input) => {
        const value = Number.parseFloat(input.value);
        return Number.isFinite(value) && value >= 0 ? value : null;
      };
      filters = { q: text.control.value, shop: shop.control.value, cat: category.control.value, min: price(min.control), max: price(max.control), sort: sort.control.value };
      writeAddress();
      renderList();
    };
    for (const field of [text, min, max]) field.control.addEventListener("input", read);
    for (const field of [shop, category, sort]) field.control.addEventListener("change", read);
    replace(
      toolbar,
      h("div", { class: "filters-main" }, text.node, sort.node),
      h(
        "details",
        { class: "filters-more", open: isFiltered({ ...filters, q: "" }) || window.matchMedia("(min-width: 48rem)").matches },
        h("summary", {}, t("results.filters.more")),
        h("div", { class: "filters-grid" }, shop.node, category.node, h("fieldset", { class: "price-range" }, h("legend", {}, t("results.filters.price")), h("div", { class: "price-row" }, min.node, max.node))),
      ),
    );
  }

  function clearFilters() {
    filters = { q: "", shop: "", cat: "", min: null, max: null, sort: filters.sort };
    writeAddress();
    buildToolbar();
    renderList();
    toolbar.querySelector("input")?.focus();
  }

  function renderList() {
    const visible = applyFilters(listings, filters);
    const refine = onRefine && !refining ? onRefine : null;
    replace(grid, visible.map((listing) => h("li", {}, giftCard(listing, { onRefine: refine }))));
    const total = listings.length;
    count.textContent = visible.length === total ? t("results.count", { count: total }) : t("results.countOf", { count: visible.length, total });
    count.hidden = total === 0;
    grid.hidden = visible.length === 0;
    empty.hidden = visible.length > 0;
    if (total === 0) {
      replace(empty, h("h3", {}, t("results.none.title")), h("p", {}, t("results.none.text")));
    } else if (visible.length === 0) {
      replace(
        empty,
        h("h3", {}, t("results.noMatch.title")),
        h("p", {}, t("results.noMatch.text")),
        isFiltered(filters) ? h("button", { type: "button", class: "button", onClick: clearFilters }, t("results.filters.clear")) : null,
      );
    }
  }

  buildToolbar();
  renderList();
  toolbar.hidden = listings.length === 0;

  return {
    node,
    /** Replaces the listings (e.g. the stored ones after the live ones), keeping the filters. */
    setListings(next) {
      listings = next;
      toolbar.hidden = listings.length === 0;
      buildToolbar();
      renderList();
    },
    /** "searching" while a refinement runs (the cards offer none), then "done" or "failed". */
    setRefining(state) {
      refining = state === "searching";
      refineStatus.hidden = false;
      refineStatus.textContent = t({ searching: "results.refining", done: "results.refined", failed: "results.refineFailed" }[state]);
      refineStatus.classList.toggle("notice-error", state === "failed");
      renderList();
    },
  };
}
