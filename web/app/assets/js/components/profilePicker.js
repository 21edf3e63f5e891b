// Choosing a saved recipient profile for a new search: a searchable list (by name,
// relationship, occasion and key themes); the chosen one is shown with a remove button.

import { h, replace } from "/assets/js/dom.js";
import { formatDate, t } from "/assets/js/i18n.js";

const THEMES_SHOWN = 5;

function relationshipOf(profile) {
  return profile.profile?.personalInfoDescription?.relationship ?? "";
}

function occasionOf(profile) {
  return profile.profile?.personalInfoDescription?.occasion ?? "";
}

function searchableText(profile) {
  return [profile.personName, relationshipOf(profile), occasionOf(profile), ...(profile.keyThemes ?? [])].join(" ").toLocaleLowerCase();
}

function themeChips(themes = []) {
  if (!themes.length) return null;
  const more = themes.length - THEMES_SHOWN;
  return h(
    "ul",
    { class: "chips", "aria-label": t("start.profile.themes") },
    themes.slice(0, THEMES_SHOWN).map((theme) => h("li", { class: "chip" }, theme)),
    more > 0 ? h("li", { class: "chip chip-more" }, t("start.profile.moreThemes", { count: more })) : null,
  );
}

function profileSummary(profile) {
  const details = [relationshipOf(profile), occasionOf(profile)].filter(Boolean).join(" · ");
  return [h("span", { class: "profile-name" }, profile.personName), details ? h("span", { class: "profile-details muted" }, details) : null];
}

/**
 * The picker for `profiles` (GET /user-profiles), preselecting `selectedId` when it is one
 * of them. Returns `{node, value()}`; value() is the chosen profile's id or null.
 */
export function profilePicker(profiles, selectedId) {
  let chosen = profiles.find((profile) => profile.id === selectedId) ?? null;
  const node = h("div", { class: "profile-picker", dataset: { testid: "profile-picker" } });

  const choose = (profile) => {
    chosen = profile;
    render();
    node.querySelector(chosen ? ".profile-remove" : ".profile-open")?.focus();
  };

  const chosenView = () =>
    h(
      "div",
      { class: "profile-chosen", role: "group", "aria-label": t("start.profile.chosen") },
      h("div", { class: "profile-chosen-text" }, h("span", { class: "field-hint" }, t("start.profile.chosen")), ...profileSummary(chosen)),
      h("button", { type: "button", class: "button button-secondary button-small profile-remove", onClick: () => choose(null) }, t("start.profile.remove")),
    );

  const listView = () => {
    const search = h("input", { id: "profile-search", type: "search", autocomplete: "off", placeholder: t("start.profile.searchPlaceholder") });
    const list = h("ul", { class: "profile-list" });
    const status = h("p", { class: "field-hint", role: "status" });
    const filter = () => {
      const needle = search.value.trim().toLocaleLowerCase();
      const found = profiles.filter((profile) => !needle || searchableText(profile).includes(needle));
      replace(
        list,
        found.map((profile) =>
          h(
            "li",
            {},
            h(
              "button",
              { type: "button", class: "profile-option", onClick: () => choose(profile) },
              h("span", { class: "profile-option-head" }, ...profileSummary(profile)),
              themeChips(profile.keyThemes),
              profile.createdAt ? h("span", { class: "profile-date muted" }, t("start.profile.created", { date: formatDate(profile.createdAt) })) : null,
            ),
          ),
        ),
      );
      status.textContent = found.length ? t("start.profile.found", { count: found.length }) : t("start.profile.noMatch");
    };
    search.addEventListener("input", filter);
    filter();
    return h(
      "div",
      { class: "profile-panel", id: "profile-panel" },
      h("div", { class: "field" }, h("label", { for: "profile-search" }, t("start.profile.search")), search, status),
      list,
    );
  };

  let open = false;
  const render = () => {
    if (!profiles.length) {
      replace(node, h("p", { class: "field-hint" }, t("start.profile.none")));
      return;
    }
    if (chosen) {
      replace(node, h("h3", { class: "profile-heading" }, t("start.profile.title")), chosenView());
      return;
    }
    const toggle = h(
      "button",
      { type: "button", class: "button button-secondary button-small profile-open", "aria-expanded": String(open), "aria-controls": "profile-panel" },
      t(open ? "start.profile.close" : "start.profile.open"),
    );
    toggle.addEventListener("click", () => {
      open = !open;
      render();
      node.querySelector(open ? "#profile-search" : ".profile-open")?.focus();
    });
    replace(node, h("h3", { class: "profile-heading" }, t("start.profile.title")), h("p", { class: "field-hint" }, t("start.profile.hint")), toggle, open ? listView() : null);
  };
  render();
  return { node, value: () => chosen?.id ?? null };
}
