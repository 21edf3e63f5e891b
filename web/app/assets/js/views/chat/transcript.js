// A finished interview, compact and collapsible, so the person can review their answers.

import { api } from "/assets/js/api.js";
import { h, replace } from "/assets/js/dom.js";
import { t } from "/assets/js/i18n.js";
import { normaliseMessage } from "/assets/js/views/chat/interview.js";

/** A collapsed transcript of `chatId`, loaded when first opened (or from `messages`). */
export function transcriptSection(chatId, messages = null) {
  const body = h("div", { class: "transcript-body" });
  const details = h("details", { class: "transcript card", dataset: { testid: "transcript" } }, h("summary", {}, h("h2", {}, t("chat.transcript.title"))), body);
  let loaded = false;
  const fill = (list) => {
    const pairs = [];
    for (const message of list) {
      pairs.push(h("dt", { class: message.sender === "user" ? "answer" : "question" }, message.sender === "user" ? t("chat.you") : t("chat.assistant")), h("dd", {}, message.content));
    }
    replace(body, list.length ? h("dl", { class: "transcript-list" }, pairs) : h("p", { class: "muted" }, t("chat.transcript.empty")));
  };
  details.addEventListener("toggle", async () => {
    if (!details.open || loaded) return;
    loaded = true;
    if (messages) {
      fill(messages);
      return;
    }
    replace(body, h("p", { class: "state-loading muted", role: "status" }, t("app.loading")));
    try {
      const answer = await api.get(`/messages/chat/${chatId}`);
      fill((answer?.messages ?? []).map(normaliseMessage));
    } catch {
      loaded = false;
      replace(body, h("p", { class: "alert" }, t("chat.transcript.failed")));
    }
  });
  return details;
}
