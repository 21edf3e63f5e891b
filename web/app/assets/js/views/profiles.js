// Saved recipient profiles: what the app learned about each person, searchable; rename,
// delete, or start a new search for that person.

import { api } from "/assets/js/api.js";
import {
  filterField,
  loadInto,
  manageItem,
  matchesQuery,
  pageShell,
  removeFromList,
  startSearchEmptyState,
} from "/assets/js/components/pageKit.js";
import { profileSearchText, renderRecipientProfile } from "/assets/js/components/recipientProfile.js";
import { h, replace } from "/assets/js/dom.js";
import { formatDate, t } from "/assets/js/i18n.js";

function profileCard(saved, { say, onDeleted }) {
  const headingId = `profile-${saved.id}`;
  const card = h("li", { class: "card profile-card", dataset: { testid: "profile-card", profileId: saved.id } });
  const { titleSlot, problem, renameButton, deleteButton, describe } = manageItem({
    keys: "profiles",
    name: saved.personName,
    headingId,
    testid: "profile",
    rename: (name) => api.patch(`/user-profiles/${saved.id}`, { personName: name }),
    destroy: () => api.del(`/user-profiles/${saved.id}`),
    say,
    onRenamed: (name) => {
      saved.personName = name;
    },
    onDeleted: () => onDeleted(saved, card),
  });
  const searchLink = describe(
    h("a", { class: "button button-small", href: `/start?profile=${encodeURIComponent(saved.id)}`, dataset: { testid: "profile-search" } }, t("profiles.searchFor")),
  );
  card.append(
    titleSlot,
    h("p", { class: "muted item-meta" }, t("profiles.savedOn", { date: formatDate(saved.createdAt) })),
    renderRecipientProfile(saved.profile, saved.keyThemes),
    problem,
    h("div", { class: "row item-actions" }, searchLink, renameButton, deleteButton),
  );
  return card;
}

const noProfiles = () => startSearchEmptyState("profiles");

function searchableText(saved) {
  return [saved.personName, profileSearchText(saved.profile, saved.keyThemes)];
}

function renderProfiles({ profiles }, { say, region, ctx }) {
  if (!profiles?.length) return noProfiles();
  let remaining = [...profiles];
  const query = ctx.query.get("q") ?? "";
  const count = h("p", { class: "muted result-count", "aria-live": "polite", dataset: { testid: "profiles-count" } });
  const noMatch = h("p", { class: "state", hidden: true, dataset: { testid: "no-match" } }, t("profiles.noMatch"));
  const list = h("ul", { class: "profile-list-grid", dataset: { testid: "profiles-list" } });
  const cards = new Map();

  const applyFilter = (value) => {
    let shown = 0;
    for (const saved of remaining) {
      const visible = matchesQuery(value, searchableText(saved));
      cards.get(saved.id).hidden = !visible;
      if (visible) shown += 1;
    }
    noMatch.hidden = shown > 0;
    count.textContent = value.trim()
      ? t("profiles.countFiltered", { count: remaining.length, shown })
      : t("profiles.count", { count: remaining.length });
  };

  const onDeleted = (saved, card) => {
    remaining = remaining.filter((other) => other.id !== saved.id);
    cards.delete(saved.id);
    if (removeFromList(card, () => replace(region, noProfiles()))) applyFilter(filter.input.value);
  };

  for (const saved of profiles) {
    const card = profileCard(saved, { say, onDeleted });
    cards.set(saved.id, card);
    list.append(card);
  }
  const filter = filterField({
    label: t("profiles.filterLabel"),
    placeholder: t("profiles.filterPlaceholder"),
    value: query,
    onInput: (value) => {
      ctx.setQuery({ q: value.trim() });
      applyFilter(value);
    },
  });
  applyFilter(query);
  return [h("div", { class: "list-toolbar" }, filter.node, count), noMatch, list];
}

export default async function profiles(ctx) {
  const { node, region, say, title } = pageShell("profiles");
  loadInto(region, () => api.get("/user-profiles"), (data) => renderProfiles(data, { say, region, ctx }));
  return { title, node };
}
