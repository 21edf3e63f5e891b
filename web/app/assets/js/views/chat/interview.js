// The interview: the transcript as chat bubbles in a live region, the question counter, a
// "thinking" indicator, and the answer controls for the latest question (suggested answers,
// "Other…", or a free-text box). The person's answer shows at once and is matched with the
// server's echo, so it never appears twice.

import { api } from "/assets/js/api.js";
import { errorText } from "/assets/js/components/errorText.js";
import { h, icon, replace, srOnly } from "/assets/js/dom.js";
import { t } from "/assets/js/i18n.js";

/** The server's MAX_QUESTIONS (the page carries it); the save-profile questions come on top of it. */
export const MAX_QUESTIONS = Number(document.documentElement.dataset.maxQuestions) || 12;

/** A message from the REST transcript or the SSE stream in one shape. */
export function normaliseMessage(message) {
  return {
    id: message.id != null ? String(message.id) : null,
    sender: message.sender ?? (message.role === "user" ? "user" : "assistant"),
    content: message.content ?? "",
    proposed: message.proposedAnswers ?? message.potentialAnswers ?? null,
  };
}

const sameText = (a, b) => a.trim().replace(/\s+/g, " ") === b.trim().replace(/\s+/g, " ");

function bubble(message) {
  const mine = message.sender === "user";
  return h(
    "div",
    { class: `bubble ${mine ? "bubble-user" : "bubble-assistant"}`, dataset: { testid: mine ? "user-message" : "assistant-message" } },
    srOnly(t(mine ? "chat.you" : "chat.assistant")),
    h("p", {}, message.content),
  );
}

/**
 * Builds the interview for `chatId` from the transcript so far. Returns `{node, receive(message),
 * finish()}`: `receive` takes a normalised message from the stream.
 */
export function createInterview({ chatId, messages }) {
  const shown = [];
  const log = h("div", { class: "chat-log", role: "log", "aria-live": "polite", "aria-label": t("chat.logLabel"), dataset: { testid: "chat-log" } });
  const counter = h("p", { class: "chat-counter", dataset: { testid: "question-counter" } });
  const meter = h("div", { class: "chat-meter", "aria-hidden": "true" }, h("span"));
  const thinking = h(
    "div",
    { class: "bubble bubble-assistant thinking", role: "status", dataset: { testid: "thinking" } },
    h("span", { class: "dots", "aria-hidden": "true" }, h("span"), h("span"), h("span")),
    h("span", {}, t("chat.thinking")),
  );
  const error = h("p", { class: "alert", role: "alert", hidden: true });
  const answerArea = h("div", { class: "answer-area", dataset: { testid: "answer-area" } });
  let finished = false;
  let sending = false;

  const node = h(
    "div",
    { class: "interview" },
    h("div", { class: "chat-progress" }, counter, meter),
    log,
    thinking,
    error,
    answerArea,
  );

  const lastMessage = () => shown.at(-1)?.message ?? null;
  const questionCount = () => shown.filter((entry) => entry.message.sender === "assistant").length;

  function updateCounter() {
    const count = questionCount();
    counter.textContent = count > MAX_QUESTIONS ? t("chat.counterFinal") : t("chat.counter", { count: Math.max(count, 1), max: MAX_QUESTIONS });
    meter.firstChild.style.width = `${Math.min(100, (Math.max(count, 1) / MAX_QUESTIONS) * 100)}%`;
  }

  function update() {
    updateCounter();
    const last = lastMessage();
    const waiting = !finished && (sending || !last || last.sender === "user");
    thinking.hidden = !waiting;
    if (finished || waiting || !last) {
      replace(answerArea);
    } else {
      renderAnswers(last);
    }
    log.lastElementChild?.scrollIntoView?.({ block: "nearest", behavior: "smooth" });
    thinking.hidden || thinking.scrollIntoView?.({ block: "nearest" });
  }

  function add(message, { pending = false } = {}) {
    const element = bubble(message);
    if (pending) element.classList.add("pending");
    log.append(element);
    const entry = { message, element, pending };
    shown.push(entry);
    return entry;
  }

  async function send(content) {
    const text = content.trim();
    if (!text || sending) return;
    error.hidden = true;
    sending = true;
    const entry = add({ id: null, sender: "user", content: text, proposed: null }, { pending: true });
    update();
    try {
      await api.post("/restapi/send-message", { chatId, messages: [{ id: crypto.randomUUID(), content: text, sender: "user" }] });
    } catch (failure) {
      if (entry.pending) {
        entry.element.remove();
        shown.splice(shown.indexOf(entry), 1);
      }
      error.textContent = errorText(failure);
      error.hidden = false;
    } finally {
      sending = false;
      update();
    }
  }

  function renderAnswers(question) {
    const proposed = question.proposed;
    const answers = proposed?.type === "select" ? (proposed.answers ?? []) : [];
    replace(answerArea, answers.length ? selectAnswers(answers) : freeText());
  }

  function selectAnswers(answers) {
    const group = h("div", { class: "suggested", role: "group", "aria-label": t("chat.suggested") });
    for (const answer of answers) {
      group.append(
        h("button", { type: "button", class: "button button-secondary suggestion", onClick: () => send(answer.answerFullSentence || answer.answerShortForm) }, answer.answerShortForm || answer.answerFullSentence),
      );
    }
    const other = h("button", { type: "button", class: "button button-secondary suggestion suggestion-other" }, t("chat.other"));
    other.addEventListener("click", () => {
      replace(answerArea, otherInput(() => replace(answerArea, selectAnswers(answers))));
      answerArea.querySelector("input")?.focus();
    });
    group.append(other);
    return group;
  }

  function otherInput(cancel) {
    const input = h("input", { id: "other-answer", class: "input", type: "text", maxlength: 2000, autocomplete: "off", placeholder: t("chat.otherPlaceholder") });
    const form = h(
      "form",
      { class: "other-form" },
      h("label", { for: "other-answer", class: "sr-only" }, t("chat.otherLabel")),
      input,
      h("div", { class: "row" }, h("button", { type: "submit", class: "button" }, t("chat.send")), h("button", { type: "button", class: "button button-secondary", onClick: cancel }, t("app.cancel"))),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      send(input.value);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Escape") cancel();
    });
    return form;
  }

  function freeText() {
    const textarea = h("textarea", { id: "free-answer", class: "input", rows: 3, maxlength: 2000, placeholder: t("chat.freePlaceholder"), "aria-describedby": "free-answer-hint" });
    const form = h(
      "form",
      { class: "free-form" },
      h("label", { for: "free-answer" }, t("chat.freeLabel")),
      h("div", { class: "free-row" }, textarea, h("button", { type: "submit", class: "icon-button send-button", "aria-label": t("chat.send") }, icon("send"))),
      h("p", { class: "field-hint", id: "free-answer-hint" }, t("chat.freeHint")),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      send(textarea.value);
    });
    textarea.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        send(textarea.value);
      }
    });
    return form;
  }

  /** A message from the stream: a new question, or the echo of an answer. */
  function receive(message) {
    if (message.id && shown.some((entry) => entry.message.id === message.id)) return;
    if (message.sender === "user") {
      const optimistic = shown.find((entry) => entry.pending && sameText(entry.message.content, message.content));
      if (optimistic) {
        optimistic.pending = false;
        optimistic.message.id = message.id;
        optimistic.element.classList.remove("pending");
        update();
        return;
      }
    }
    add(message);
    update();
  }

  for (const message of messages) add(message);
  update();

  return {
    node,
    receive,
    /** The interview is over: no more answers, no thinking indicator. */
    finish() {
      finished = true;
      update();
    },
    /** The focusable answer control, for moving focus after a render. */
    focusAnswer() {
      answerArea.querySelector("button, textarea, input")?.focus({ preventScroll: true });
    },
    messages: () => shown.map((entry) => entry.message),
  };
}
