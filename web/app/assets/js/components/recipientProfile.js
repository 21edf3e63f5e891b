// A recipient profile as people read it: labels in the page's language (never the JSON keys),
// key themes as chips, empty parts left out. Used by History's "why these gifts", the saved
// profiles screen and the results screen.

import { h } from "/assets/js/dom.js";
import { has, t } from "/assets/js/i18n.js";

/** Themes shown before "show all"; the rest are one click away. */
const THEMES_SHOWN = 10;

/** The personal details, in reading order. */
const PERSONAL_FIELDS = ["relationship", "occasion", "ageRange", "gender"];

/** The free-text descriptions, in reading order. */
const DESCRIPTION_FIELDS = ["lifestyleDescription", "preferencesDescription", "recentLifeDescription"];

function present(value) {
  if (Array.isArray(value)) return value.some(present);
  return typeof value === "string" ? value.trim() !== "" : value !== null && value !== undefined;
}

function textList(values) {
  return (Array.isArray(values) ? values : [values]).filter(present).map(String);
}

/** "birthday" → "Urodziny"; free text from the interview stays as it is. */
function occasionText(value) {
  const key = `occasion.${value}.label`;
  return has(key) ? t(key) : value;
}

/** "18-25" → "18–25 lat" / "18–25 years old"; anything else as written. */
function ageText(value) {
  const range = /^\s*(\d+)\s*[-–]\s*(\d+)\s*$/.exec(value);
  if (range) return t("profile.ageRange", { from: Number(range[1]), to: Number(range[2]), count: Number(range[2]) });
  return value;
}

function personalValue(field, value) {
  if (field === "occasion") return occasionText(String(value));
  if (field === "ageRange") return ageText(String(value));
  return textList(value).join(", ");
}

function section(headingTag, title, ...content) {
  return h("section", { class: "profile-section" }, h(headingTag, { class: "profile-section-title" }, title), content);
}

function personalDetails(info, headingTag) {
  const rows = PERSONAL_FIELDS.filter((field) => present(info?.[field])).map((field) => [
    h("dt", {}, t(`profile.fields.${field}`)),
    h("dd", {}, personalValue(field, info[field])),
  ]);
  if (!rows.length) return null;
  return section(headingTag, t("profile.personal"), h("dl", { class: "profile-facts" }, rows));
}

/** Chips of the key themes; a long list shows its first ones and a "show all" toggle. */
export function themeChips(themes) {
  const list = textList(themes);
  if (!list.length) return null;
  const chips = list.map((theme, index) => h("li", { class: "theme-chip", hidden: index >= THEMES_SHOWN }, theme));
  const ul = h("ul", { class: "theme-chips", dataset: { testid: "key-themes" } }, chips);
  if (list.length <= THEMES_SHOWN) return ul;
  const toggle = h(
    "button",
    { type: "button", class: "link-button", "aria-expanded": "false" },
    t("profile.showAllThemes", { count: list.length }),
  );
  toggle.addEventListener("click", () => {
    const expanded = toggle.getAttribute("aria-expanded") === "true";
    chips.forEach((chip, index) => {
      chip.hidden = expanded && index >= THEMES_SHOWN;
    });
    toggle.setAttribute("aria-expanded", String(!expanded));
    toggle.textContent = expanded ? t("profile.showAllThemes", { count: list.length }) : t("profile.showFewerThemes");
  });
  return h("div", { class: "theme-chips-block" }, ul, toggle);
}

function description(field, value, headingTag) {
  if (!present(value)) return null;
  return section(headingTag, t(`profile.fields.${field}`), h("p", {}, textList(value).join(" ")));
}

function bulletList(title, values, headingTag) {
  const items = textList(values);
  if (!items.length) return null;
  return section(headingTag, title, h("ul", { class: "profile-bullets" }, items.map((item) => h("li", {}, item))));
}

/**
 * The element showing `profile` (a RecipientProfile; any part may be missing) and its
 * `keyThemes`. `headingLevel` is the level of the section headings (3 under an h2).
 */
export function renderRecipientProfile(profile, keyThemes = [], { headingLevel = 3 } = {}) {
  const headingTag = `h${Math.min(Math.max(headingLevel, 2), 6)}`;
  const info = profile ?? {};
  const themes = themeChips(keyThemes);
  const parts = [
    themes ? section(headingTag, t("profile.keyThemes"), themes) : null,
    personalDetails(info.personalInfoDescription, headingTag),
    ...DESCRIPTION_FIELDS.map((field) => description(field, info[field], headingTag)),
    bulletList(t("profile.fields.dislikes"), info.dislikes, headingTag),
    bulletList(t("profile.fields.alreadyHas"), info.possessions?.what_already_has, headingTag),
    bulletList(t("profile.fields.missing"), info.possessions?.what_is_missing, headingTag),
  ].filter(Boolean);
  if (!parts.length) {
    return h("div", { class: "recipient-profile" }, h("p", { class: "muted" }, t("profile.empty")));
  }
  return h("div", { class: "recipient-profile", dataset: { testid: "recipient-profile" } }, parts);
}

/** Words to search a saved profile by: relationship, occasion, age and themes. */
export function profileSearchText(profile, keyThemes = []) {
  const info = profile?.personalInfoDescription ?? {};
  return [
    ...PERSONAL_FIELDS.filter((field) => present(info[field])).map((field) => personalValue(field, info[field])),
    ...textList(keyThemes),
  ];
}
