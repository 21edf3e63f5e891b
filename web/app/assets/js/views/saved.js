// Saved gifts: every favourite of the user as a gift card, with a link back to the search it
// came from and a text filter kept in the URL. Un-saving removes the card and offers an undo.

import { api } from "/assets/js/api.js";
import { errorText } from "/assets/js/components/errorText.js";
import { giftCard, listingIdOf, marketplaceName, categoryLabel } from "/assets/js/components/giftCard.js";
import { filterField, loadInto, matchesQuery, pageShell, startSearchEmptyState } from "/assets/js/components/pageKit.js";
import { focus, h, icon } from "/assets/js/dom.js";
import { t } from "/assets/js/i18n.js";

/** The user's searches by id, to name the search each gift came from (best effort). */
async function searchNames() {
  try {
    const { chats } = await api.get("/chats");
    return new Map((chats ?? []).map((chat) => [chat.chatId, chat.chatName]));
  } catch {
    return new Map();
  }
}

async function load() {
  const [favourites, names] = await Promise.all([api.get("/favorites"), searchNames()]);
  return { favorites: favourites?.favorites ?? [], names };
}

function sourceLink(listing, names) {
  if (!listing.chatId) return null;
  const name = names.get(listing.chatId);
  return h(
    "a",
    { class: "saved-source", href: `/chat/${listing.chatId}`, dataset: { testid: "saved-source" } },
    name ? t("saved.fromSearch", { name }) : t("saved.openSearch"),
  );
}

function searchableText(listing, names) {
  return [listing.title, listing.description, categoryLabel(listing.category), marketplaceName(listing.provider), names.get(listing.chatId)];
}

const noFavourites = () => startSearchEmptyState("saved");

/** The bar that says a gift was removed, with its undo button. */
function undoBar() {
  const text = h("span", { class: "undo-text" });
  const undo = h("button", { type: "button", class: "button button-small button-secondary", dataset: { testid: "undo" } }, t("saved.undo"));
  const close = h("button", { type: "button", class: "icon-button undo-close", "aria-label": t("pages.close") }, icon("close"));
  const bar = h("div", { class: "undo-bar", role: "status", hidden: true, dataset: { testid: "undo-bar" } }, text, undo, close);
  let onUndo = null;
  const hide = () => {
    bar.hidden = true;
    onUndo = null;
  };
  undo.addEventListener("click", async () => {
    const action = onUndo;
    hide();
    await action?.();
  });
  close.addEventListener("click", () => {
    hide();
    focus(document.querySelector("#main h1"));
  });
  return {
    node: bar,
    hide,
    /** Shows `message` with an undo that runs `action`; focus goes to the undo button. */
    offer(message, action) {
      text.textContent = message;
      onUndo = action;
      bar.hidden = false;
      undo.focus();
    },
  };
}

function renderSaved({ favorites, names }, { region, ctx, say, undo }) {
  if (!favorites.length) return noFavourites();
  const query = ctx.query.get("q") ?? "";
  const count = h("p", { class: "muted result-count", "aria-live": "polite", dataset: { testid: "saved-count" } });
  const clear = h("button", { type: "button", class: "button button-small button-secondary" }, t("pages.clearFilter"));
  const noMatch = h("div", { class: "state", hidden: true, dataset: { testid: "no-match" } }, h("p", {}, t("saved.noMatch")), clear);
  const grid = h("ul", { class: "gift-grid saved-grid", dataset: { testid: "saved-grid" } });
  const empty = noFavourites();
  const toolbar = h("div", { class: "list-toolbar" });
  const items = new Map();
  let current = query;

  const applyFilter = () => {
    let shown = 0;
    for (const [listing, item] of items) {
      item.hidden = !matchesQuery(current, searchableText(listing, names));
      if (!item.hidden) shown += 1;
    }
    noMatch.hidden = shown > 0 || items.size === 0;
    empty.hidden = items.size > 0;
    toolbar.hidden = items.size === 0;
    count.textContent = current.trim()
      ? t("saved.countFiltered", { count: items.size, shown })
      : t("saved.count", { count: items.size });
  };

  const place = (listing, before) => {
    const item = h("li", { class: "saved-item" });
    item.append(giftCard(listing, { onFavoriteChange: (changed, isFavourite) => !isFavourite && unsave(changed, item) }), sourceLink(listing, names));
    items.set(listing, item);
    grid.insertBefore(item, before ?? null);
    return item;
  };

  const unsave = (listing, item) => {
    const nextSibling = item.nextElementSibling;
    item.remove();
    items.delete(listing);
    applyFilter();
    undo.offer(t("saved.removed", { title: listing.title || t("gift.untitled") }), async () => {
      try {
        await api.post("/favorites", { listingId: listingIdOf(listing) });
        listing.isFavorited = true;
        const restored = place(listing, nextSibling?.isConnected ? nextSibling : null);
        applyFilter();
        say(t("saved.restored", { title: listing.title || t("gift.untitled") }));
        restored.querySelector("[data-testid=favourite]")?.focus();
      } catch (error) {
        say(t("saved.restoreFailed", { reason: errorText(error) }));
      }
    });
  };

  const filter = filterField({
    label: t("saved.filterLabel"),
    placeholder: t("saved.filterPlaceholder"),
    value: query,
    onInput: (value) => {
      current = value;
      ctx.setQuery({ q: value.trim() });
      applyFilter();
    },
  });
  clear.addEventListener("click", () => {
    filter.input.value = "";
    current = "";
    ctx.setQuery({ q: null });
    applyFilter();
    filter.input.focus();
  });
  for (const listing of favorites) place(listing);
  toolbar.append(filter.node, count);
  applyFilter();
  return [toolbar, noMatch, empty, h("h2", { class: "sr-only" }, t("saved.listHeading")), grid];
}

export default async function saved(ctx) {
  const undo = undoBar();
  const { node, region, say, title } = pageShell("saved", { extra: [undo.node] });
  loadInto(region, load, (data) => renderSaved(data, { region, ctx, say, undo }));
  return { title, node, cleanup: undo.hide };
}
