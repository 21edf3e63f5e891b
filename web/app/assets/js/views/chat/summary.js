// "Why these gifts": what the search understood about the person (the chat's reasoning
// summary), with labels in the page's language rather than the JSON field names.

import { h } from "/assets/js/dom.js";
import { t } from "/assets/js/i18n.js";

const PERSONAL = ["relationship", "gender", "ageRange", "occasion"];
const DESCRIPTIONS = ["lifestyleDescription", "preferencesDescription", "recentLifeDescription"];

const list = (items) => (items?.length ? h("ul", { class: "chips" }, items.map((item) => h("li", { class: "chip" }, item))) : null);

function definition(label, value) {
  if (!value || (Array.isArray(value) && !value.length)) return [];
  return [h("dt", {}, label), h("dd", {}, Array.isArray(value) ? value.join(", ") : value)];
}

/** The section for `summary` (`{recipientProfile, keyThemesAndKeywords}`), or null if empty. */
export function reasoningSection(summary) {
  const profile = summary?.recipientProfile ?? null;
  const themes = summary?.keyThemesAndKeywords ?? [];
  if (!profile && !themes.length) return null;
  const personal = profile?.personalInfoDescription ?? {};
  const facts = [
    ...PERSONAL.flatMap((field) => definition(t(`results.why.${field}`), personal[field])),
    ...DESCRIPTIONS.flatMap((field) => definition(t(`results.why.${field}`), profile?.[field])),
    ...definition(t("results.why.has"), profile?.possessions?.what_already_has),
    ...definition(t("results.why.missing"), profile?.possessions?.what_is_missing),
    ...definition(t("results.why.dislikes"), profile?.dislikes),
  ];
  return h(
    "details",
    { class: "why card", dataset: { testid: "why" } },
    h("summary", {}, h("h2", {}, t("results.why.title"))),
    h("p", { class: "muted" }, t("results.why.intro")),
    themes.length ? [h("h3", {}, t("results.why.themes")), list(themes)] : null,
    facts.length ? [h("h3", {}, t("results.why.profile")), h("dl", { class: "why-facts" }, facts)] : null,
  );
}
