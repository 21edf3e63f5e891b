// One gift: image (or a drawn placeholder for its category), title, price, marketplace,
// score and why it fits, a buy link and a favourite toggle. Used by results and Saved.

import { api } from "/assets/js/api.js";
import { drawing, h, icon, srOnly } from "/assets/js/dom.js";
import { formatNumber, formatPrice, has, t } from "/assets/js/i18n.js";

const MARKETPLACE_NAMES = { olx: "OLX", allegro: "Allegro", ebay: "eBay", amazon: "Amazon" };

/** A marketplace id ("olx", "catalog"…) as people know it. */
export function marketplaceName(provider) {
  if (!provider) return t("gift.marketplace.unknown");
  return MARKETPLACE_NAMES[provider] ?? (has(`gift.marketplace.${provider}`) ? t(`gift.marketplace.${provider}`) : provider);
}

/** A listing's id for the favourites API (live results carry `listingId`, stored ones `id`). */
export function listingIdOf(listing) {
  return listing.listingId ?? listing.id;
}

/**
 * Kinds of placeholder pictures, chosen by words of the category (marketplaces name their
 * categories differently, so a word match is more robust than exact names).
 */
const PLACEHOLDERS = [
  { kind: "electronics", words: ["elektron", "electron", "komputer", "telefon", "rtv", "agd"] },
  { kind: "sport", words: ["sport", "hobby", "turyst", "rower", "fitness"] },
  { kind: "home", words: ["dom", "ogród", "ogrod", "home", "garden", "kuchni", "wnętrz"] },
  { kind: "culture", words: ["muzyk", "edukac", "książ", "ksiaz", "music", "book", "kultur", "gry", "games"] },
  { kind: "fashion", words: ["moda", "fashion", "odzież", "ubran", "biżuter", "clothing"] },
  { kind: "kids", words: ["dzieci", "dziecko", "kids", "zabawk", "toys", "baby"] },
  { kind: "beauty", words: ["zdrowie", "uroda", "beauty", "health", "kosmet"] },
  { kind: "pets", words: ["zwierz", "pet", "animal"] },
  { kind: "car", words: ["motoryz", "auto", "car", "samoch"] },
];

const PLACEHOLDER_PATHS = {
  gift: "M20 7h-2.2A3 3 0 0 0 12 4.2 3 3 0 0 0 6.2 7H4a1 1 0 0 0-1 1v3a1 1 0 0 0 1 1v8a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-8a1 1 0 0 0 1-1V8a1 1 0 0 0-1-1zm-5-1a1 1 0 1 1 0 2h-2a2 2 0 0 1 2-2zM9 6a2 2 0 0 1 2 2H9a1 1 0 1 1 0-2zM5 9h6v2H5zm1 4h5v6H6zm7 6v-6h5v6zm0-8V9h6v2z",
  electronics: "M4 5h16a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1h-6v2h3v2H7v-2h3v-2H4a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1zm1 2v8h14V7z",
  sport: "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1 3.1 2.6 1.9-1 3.1h-3.2l-1-3.1L13 5.1zM5.3 9.3l2.5-.2 1 3.2-2.1 2.4-1.9-.6a8 8 0 0 1 .5-4.8zm3.4 9.1-.4-2.6 2.1-2.4h3.2l2.1 2.4-.4 2.6a8 8 0 0 1-6.6 0zm10-3.7-1.9.6-2.1-2.4 1-3.2 2.5.2a8 8 0 0 1 .5 4.8z",
  home: "M12 3 2 11.5l1.3 1.5L5 11.6V20a1 1 0 0 0 1 1h5v-6h2v6h5a1 1 0 0 0 1-1v-8.4l1.7 1.4 1.3-1.5z",
  culture: "M18 3v11.3A3.5 3.5 0 1 0 20 17.5V7h2V3zM4 4h11v2H4zm0 4h11v2H4zm0 4h8v2H4z",
  fashion: "M8 3 3 6l2 5 2-.8V21h10V10.2l2 .8 2-5-5-3a3 3 0 0 1-3 2 3 3 0 0 1-3-2z",
  kids: "M4 13h7v7H4zm9 0h7v7h-7zM8.5 4h7v7h-7z",
  beauty: "M12 2s-6 7-6 11.5a6 6 0 0 0 12 0C18 9 12 2 12 2zm-2.5 12h2v2h-2z",
  pets: "M5.5 9a2 2 0 1 0 0-4 2 2 0 0 0 0 4zm13 0a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM9 6a2 2 0 1 0 0-4 2 2 0 0 0 0 4zm6 0a2 2 0 1 0 0-4 2 2 0 0 0 0 4zm-3 3c-3 0-6.5 5.5-6.5 8.5C5.5 20 7.5 21 9 21c1.2 0 2-.6 3-.6s1.8.6 3 .6c1.5 0 3.5-1 3.5-3.5C18.5 14.5 15 9 12 9z",
  car: "M5 11l1.6-4.4A2 2 0 0 1 8.5 5h7a2 2 0 0 1 1.9 1.6L19 11a2 2 0 0 1 2 2v4h-2v2h-3v-2H8v2H5v-2H3v-4a2 2 0 0 1 2-2zm2.1 0h9.8l-1.2-3.6a.6.6 0 0 0-.5-.4h-6.4a.6.6 0 0 0-.5.4zM6.5 15a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zm11 0a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3z",
};

/** The placeholder kind for a category name ("gift" when nothing fits). */
export function placeholderKind(category) {
  const name = (category ?? "").toLocaleLowerCase("pl");
  return PLACEHOLDERS.find((entry) => entry.words.some((word) => name.includes(word)))?.kind ?? "gift";
}

/** A drawn picture for a listing without a usable image (decorative: the title says it all). */
export function giftPlaceholder(category) {
  const kind = placeholderKind(category);
  return h("div", { class: `gift-placeholder gift-placeholder-${kind}`, dataset: { testid: "gift-placeholder" } }, giftDrawing(kind));
}

/** The drawing of one placeholder kind ("gift", "sport"…), as a bare SVG. */
export function giftDrawing(kind = "gift", className = "gift-drawing") {
  return drawing(PLACEHOLDER_PATHS[kind] ?? PLACEHOLDER_PATHS.gift, className);
}

function media(listing) {
  const box = h("div", { class: "gift-media" });
  // A marketplace's photo, or an illustration this app serves (the bundled catalog's).
  const url = typeof listing.image === "string" && /^(https?:\/\/|\/assets\/illustrations\/)/i.test(listing.image) ? listing.image : null;
  if (!url) {
    box.append(giftPlaceholder(listing.category));
    return box;
  }
  const image = h("img", { src: url, alt: "", loading: "lazy", decoding: "async", referrerpolicy: "no-referrer" });
  image.addEventListener("error", () => image.replaceWith(giftPlaceholder(listing.category)), { once: true });
  box.append(image);
  return box;
}

/** "Dom i Ogród" → "dom-i-ogrod": an ASCII catalog key for a category name. */
function slug(name) {
  return name
    .toLocaleLowerCase("pl")
    .replaceAll("ł", "l")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** A category name in the page's language when the catalog knows it, else as given. */
export function categoryLabel(category) {
  if (!category) return "";
  const key = `gift.category.${slug(category)}`;
  return has(key) ? t(key) : category;
}

function priceText(price) {
  const text = formatPrice(price?.value, price?.currency);
  if (!text) return price?.label || t("gift.noPrice");
  return price?.negotiable ? `${text} · ${t("gift.negotiable")}` : text;
}

function scoreBadge(score) {
  if (typeof score !== "number" || !Number.isFinite(score)) return null;
  const value = formatNumber(Math.round(score * 10) / 10);
  return h(
    "span",
    { class: "gift-score", title: t("gift.scoreHint") },
    h("span", { "aria-hidden": "true" }, t("gift.score", { score: value })),
    srOnly(t("gift.scoreLabel", { score: value })),
  );
}

function favouriteButton(listing, onFavoriteChange) {
  const id = listingIdOf(listing);
  let favourite = Boolean(listing.isFavorited);
  const button = h("button", { type: "button", class: "icon-button gift-favourite", dataset: { testid: "favourite" } }, icon("heart"));
  const show = () => {
    button.setAttribute("aria-pressed", String(favourite));
    button.setAttribute("aria-label", t(favourite ? "gift.unfavourite" : "gift.favourite", { title: listing.title }));
  };
  show();
  if (!id) {
    button.disabled = true;
    return button;
  }
  button.addEventListener("click", async () => {
    const wanted = !favourite;
    favourite = wanted;
    show();
    button.disabled = true;
    try {
      if (wanted) await api.post("/favorites", { listingId: id });
      else await api.del(`/favorites/${encodeURIComponent(id)}`);
      listing.isFavorited = wanted;
      onFavoriteChange?.(listing, wanted);
    } catch {
      favourite = !wanted;
      show();
      button.after(failureNote(button, wanted));
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

function failureNote(button, wanted) {
  button.parentElement?.querySelector(".gift-error")?.remove();
  const note = h("p", { class: "gift-error", role: "alert" }, t(wanted ? "gift.favouriteFailed" : "gift.unfavouriteFailed"));
  setTimeout(() => note.remove(), 6000);
  return note;
}

/** "More like this" and "Not this": `onRefine(listing, "more" | "not")` (results only). */
function refineButtons(listing, onRefine) {
  const title = listing.title || t("gift.untitled");
  const button = (verdict, key, testid) =>
    h(
      "button",
      { type: "button", class: "button button-secondary button-small", dataset: { testid }, "aria-label": t(`${key}Label`, { title }), onClick: () => onRefine(listing, verdict) },
      t(key),
    );
  return h("div", { class: "gift-refine" }, button("more", "gift.moreLike", "more-like"), button("not", "gift.notThis", "not-this"));
}

/**
 * The card element for `listing` (API "Listing", or a live result with `listingId`).
 * `onFavoriteChange(listing, isFavorited)` is called after the server accepted a toggle;
 * with `onRefine`, the card offers "more like this" and "not this".
 */
export function giftCard(listing, { onFavoriteChange, onRefine } = {}) {
  const link = typeof listing.link === "string" && /^https?:\/\//i.test(listing.link) ? listing.link : null;
  const category = categoryLabel(listing.category);
  return h(
    "article",
    { class: "gift-card", dataset: { testid: "gift-card", listingId: listingIdOf(listing) ?? "" } },
    media(listing),
    h("div", { class: "gift-top" }, h("span", { class: "gift-badge", dataset: { testid: "marketplace" } }, marketplaceName(listing.provider)), favouriteButton(listing, onFavoriteChange)),
    h(
      "div",
      { class: "gift-body" },
      h("h3", { class: "gift-title" }, listing.title || t("gift.untitled")),
      h("div", { class: "gift-meta" }, h("span", { class: "gift-price", dataset: { testid: "price" } }, priceText(listing.price)), scoreBadge(listing.score)),
      listing.reasoning ? h("p", { class: "gift-reason", dataset: { testid: "reason" } }, listing.reasoning) : null,
      category ? h("p", { class: "gift-category muted" }, category) : null,
    ),
    link
      ? h(
          "a",
          { class: "button button-small gift-buy", href: link, target: "_blank", rel: "noopener noreferrer" },
          t("gift.buy"),
          icon("external"),
          srOnly(t("gift.newTab")),
        )
      : null,
    onRefine && listingIdOf(listing) ? refineButtons(listing, onRefine) : null,
  );
}
