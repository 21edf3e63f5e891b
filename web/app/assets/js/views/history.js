// Search history: every search of the user, newest first, with its state and gift count;
// open or continue it, rename it, delete it, or read why these gifts were chosen.

import { api } from "/assets/js/api.js";
import { openDialog } from "/assets/js/components/dialog.js";
import {
  linkButton,
  loadInto,
  manageItem,
  pageShell,
  removeFromList,
  smallButton,
  startSearchEmptyState,
} from "/assets/js/components/pageKit.js";
import { renderRecipientProfile } from "/assets/js/components/recipientProfile.js";
import { h, replace } from "/assets/js/dom.js";
import { formatDate, t } from "/assets/js/i18n.js";

const STATUSES = ["interview", "searching", "ready", "failed"];

function statusOf(chat) {
  return STATUSES.includes(chat.status) ? chat.status : chat.isInterviewCompleted ? "ready" : "interview";
}

/** "5 prezentów" once the search has ended; nothing while it is still going. */
function giftCountText(chat, status) {
  if (status !== "ready" && status !== "failed") return null;
  return t("history.gifts", { count: Number(chat.giftCount) || 0 });
}

function hasReasoning(summary) {
  return Boolean(summary && (summary.recipientProfile || summary.keyThemesAndKeywords?.length));
}

function showReasoning(chat) {
  const summary = chat.reasoningSummary;
  return openDialog({
    title: t("history.reasoningTitle", { name: chat.chatName }),
    content: [
      h("p", { class: "muted" }, t("history.reasoningIntro")),
      renderRecipientProfile(summary.recipientProfile, summary.keyThemesAndKeywords),
    ],
    actions: [{ label: t("pages.close"), value: true, kind: "primary" }],
  });
}

/** One search in the list; `onDeleted(item)` after the server deleted it. */
function historyItem(chat, { say, onDeleted }) {
  const status = statusOf(chat);
  const headingId = `chat-${chat.chatId}`;
  const count = giftCountText(chat, status);
  const item = h("li", { class: "card history-item", dataset: { testid: "history-item", chatId: chat.chatId, status } });
  const { titleSlot, problem, renameButton, deleteButton, describe } = manageItem({
    keys: "history",
    name: chat.chatName,
    headingId,
    testid: "history",
    rename: (name) => api.patch(`/chats/${chat.chatId}`, { chatName: name }),
    destroy: () => api.del(`/chats/${chat.chatId}`),
    say,
    onRenamed: (name) => {
      chat.chatName = name;
    },
    onDeleted: () => onDeleted(item),
  });
  const openLink = describe(
    h(
      "a",
      { class: `button button-small${status === "ready" ? "" : " button-secondary"}`, href: `/chat/${chat.chatId}`, dataset: { testid: "history-open" } },
      t(`history.open.${status}`),
    ),
  );
  const reasoningButton = hasReasoning(chat.reasoningSummary)
    ? describe(smallButton(t("history.reasoning"), () => showReasoning(chat), { testid: "history-reasoning" }))
    : null;
  item.append(
    titleSlot,
    h(
      "p",
      { class: "item-meta" },
      h("time", { datetime: chat.createdAt }, formatDate(chat.createdAt)),
      h("span", { class: `status-badge status-${status}`, dataset: { testid: "history-status" } }, t(`history.status.${status}`)),
      count ? h("span", { class: "history-count", dataset: { testid: "history-count" } }, count) : null,
    ),
    problem,
    h("div", { class: "row item-actions" }, openLink, reasoningButton, renameButton, deleteButton),
  );
  return item;
}

const noSearches = () => startSearchEmptyState("history");

function renderList({ chats }, say, region) {
  if (!chats?.length) return noSearches();
  const list = h("ul", { class: "history-list", dataset: { testid: "history-list" } });
  const onDeleted = (item) => removeFromList(item, () => replace(region, noSearches()));
  list.append(...chats.map((chat) => historyItem(chat, { say, onDeleted })));
  return list;
}

export default async function history() {
  const { node, region, say, title } = pageShell("history", {
    actions: [linkButton("/start", t("history.newSearch"), { testid: "new-search" })],
  });
  loadInto(region, () => api.get("/chats"), (data) => renderList(data, say, region));
  return { title, node };
}
