// "Why these gifts": what the search understood about the person (the chat's reasoning
// summary), shown with the shared recipient-profile block.

import { renderRecipientProfile } from "/assets/js/components/recipientProfile.js";
import { h } from "/assets/js/dom.js";
import { t } from "/assets/js/i18n.js";

/** The section for `summary` (`{recipientProfile, keyThemesAndKeywords}`), or null if empty. */
export function reasoningSection(summary) {
  const profile = summary?.recipientProfile ?? null;
  const themes = summary?.keyThemesAndKeywords ?? [];
  if (!profile && !themes.length) return null;
  return h(
    "details",
    { class: "why card", dataset: { testid: "why" } },
    h("summary", {}, h("h2", {}, t("results.why.title"))),
    h("p", { class: "muted" }, t("results.why.intro")),
    renderRecipientProfile(profile, themes, { headingLevel: 3 }),
  );
}
