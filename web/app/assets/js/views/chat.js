// One search at /chat/<id>: the interview, then searching, then results — or the reason it
// stopped. The screen loads the chat over REST and follows its events from the snapshot's
// `lastEventId`, so a reload or another device continues exactly where it was.

import { api } from "/assets/js/api.js";
import { h, focus, replace } from "/assets/js/dom.js";
import { t } from "/assets/js/i18n.js";
import { followChat } from "/assets/js/events.js";
import { retryUrl } from "/assets/js/searchInputs.js";
import { feedbackSection } from "/assets/js/views/chat/feedback.js";
import { createInterview, normaliseMessage } from "/assets/js/views/chat/interview.js";
import { listingIdOf } from "/assets/js/components/giftCard.js";
import { createResults } from "/assets/js/views/chat/results.js";
import { createSearching } from "/assets/js/views/chat/searching.js";
import { reasoningSection } from "/assets/js/views/chat/summary.js";
import { transcriptSection } from "/assets/js/views/chat/transcript.js";

const TITLES = {
  interview: "chat.title",
  searching: "search.title",
  results: "results.title",
  failed: "search.failedTitle",
  refused: "chat.refusedTitle",
};

/** The smaller of two snapshot cursors: replaying a little is harmless, a gap is not. */
const cursorOf = (...snapshots) => Math.min(...snapshots.map((snapshot) => Number(snapshot?.lastEventId ?? 0) || 0));

export default async function chat(ctx) {
  const chatId = ctx.params.chatId;
  const summary = await api.get(`/chats/${chatId}`);
  const transcript = summary.status === "interview" ? await api.get(`/messages/chat/${chatId}`) : null;
  const stored = summary.status === "ready" ? await api.get(`/chats/${chatId}/listings`) : null;

  const heading = h("h1", { id: "chat-heading" });
  const subtitle = h("p", { class: "muted chat-subtitle" }, summary.chatName ?? "");
  const connection = h("p", { class: "connection", role: "status", hidden: true, dataset: { testid: "connection" } });
  const stage = h("div", { class: "chat-stage" });
  const headerActions = h("div", { class: "chat-header-actions" }, connection);
  const node = h("div", { class: "chat-page" }, h("header", { class: "page-header chat-header" }, h("div", {}, heading, subtitle), headerActions), stage);

  let phase = null;
  let interview = null;
  let searching = null;
  let lastProgress = null;
  let closeStream = null;

  const setPhase = (next, { moveFocus = true } = {}) => {
    phase = next;
    node.dataset.phase = next;
    heading.textContent = t(TITLES[next]);
    document.title = `${heading.textContent} · Present Finder`;
    if (moveFocus) focus(heading);
  };

  const newSearchLink = (label = t("chat.newSearch")) => h("a", { class: "button", href: retryUrl(chatId), dataset: { testid: "retry" } }, label);

  function showInterview(messages) {
    interview = createInterview({ chatId, messages });
    setPhase("interview", { moveFocus: false });
    replace(stage, interview.node);
  }

  function showSearching() {
    interview?.finish();
    searching = createSearching();
    if (lastProgress) searching.progress(lastProgress);
    setPhase("searching");
    replace(stage, searching.node, interview ? transcriptSection(chatId, interview.messages()) : null);
  }

  function showStopped(kind, reason) {
    // A refused request also fails the session, and the two updates are recorded by
    // different consumers, so the failure can come first: keep following after it, so
    // that the refusal (which says why) replaces it.
    if (kind === "refused") closeStream?.();
    setPhase(kind);
    const text = kind === "refused" ? t("chat.refusedText") : t("search.failedText");
    replace(
      stage,
      h(
        "section",
        { class: "card stopped", dataset: { testid: kind === "refused" ? "refused" : "session-error" } },
        reason ? h("p", { class: "stopped-reason" }, reason) : null,
        h("p", {}, text),
        h("div", { class: "row" }, newSearchLink(kind === "refused" ? t("chat.newSearch") : t("search.tryAgain")), h("a", { class: "button button-secondary", href: "/history" }, t("chat.toHistory"))),
      ),
    );
  }

  async function showResults(listings, { chatInfo = null, partial = false } = {}) {
    closeStream?.();
    setPhase("results");
    const results = createResults({ ctx, listings, partial, onRefine: (listing, verdict) => refine(results, listing, verdict) });
    refinement = results;
    const why = h("div", { class: "why-slot" }, chatInfo ? reasoningSection(chatInfo.reasoningSummary) : null);
    const rating = h("div", { class: "feedback-slot" });
    replace(headerActions, connection, h("a", { class: "button button-secondary button-small", href: "/start" }, t("chat.newSearch")));
    replace(stage, why, results.node, rating, transcriptSection(chatId, interview?.messages() ?? null));
    feedbackSection(chatId).then((section) => replace(rating, section));
    if (!chatInfo) {
      // Live results carry no reasoning summary; the stored ones also say what is favourited.
      try {
        const answer = await api.get(`/chats/${chatId}/listings`);
        replace(why, reasoningSection(answer?.chat?.reasoningSummary));
        if (answer?.listings?.length) results.setListings(answer.listings);
      } catch {
        // The live results are shown already; the summary is a bonus.
      }
    }
  }

  // The results view while a "more like this / not this" round runs (its stream reopened).
  let refinement = null;
  let refiningNow = false;

  async function refine(results, listing, verdict) {
    if (refiningNow) return;
    refiningNow = true;
    results.setRefining("searching");
    try {
      // The stream resumes from the latest event, so the round's result is the next gift-ready.
      const current = await api.get(`/chats/${chatId}/listings`);
      const id = listingIdOf(listing);
      await api.post(`/chats/${chatId}/refinements`, verdict === "more" ? { moreLike: [id] } : { notThis: [id] });
      follow(current?.lastEventId ?? 0);
    } catch {
      refiningNow = false;
      results.setRefining("failed");
    }
  }

  function refined(listings) {
    refiningNow = false;
    closeStream?.();
    refinement?.setListings(listings);
    refinement?.setRefining("done");
  }

  const onUpdate = (data) => {
    switch (data?.type) {
      case "chatbot-message":
        if (phase === "interview") interview.receive(normaliseMessage(data.message ?? {}));
        break;
      case "chat-interview-completed":
        if (phase === "interview") showSearching();
        break;
      case "chat-inappropriate-request":
        if (phase !== "results") showStopped("refused", data.reason);
        break;
      case "gift-ready":
        if (phase !== "results") showResults(Array.isArray(data.data) ? data.data : [], { partial: Boolean(data.partial) });
        else if (refiningNow && Array.isArray(data.data)) refined(data.data);
        break;
      default:
        break;
    }
  };

  const handlers = {
    "ui-update": onUpdate,
    progress: (data) => {
      lastProgress = data;
      if (phase === "searching") searching.progress(data);
    },
    "session-error": (data) => {
      if (phase !== "results" && phase !== "refused") showStopped("failed", data?.reason);
      else if (refiningNow) {
        refiningNow = false;
        closeStream?.();
        refinement?.setRefining("failed");
      }
    },
  };
  const onConnection = (state) => {
    connection.hidden = state === "open";
    connection.textContent = state === "open" ? "" : t("chat.reconnecting");
  };
  const follow = (cursor) => {
    closeStream = followChat(chatId, cursor, handlers, onConnection);
  };

  switch (summary.status) {
    case "interview":
      showInterview((transcript?.messages ?? []).map(normaliseMessage));
      follow(cursorOf(summary, transcript));
      break;
    case "ready":
      showResults(stored?.listings ?? [], { chatInfo: stored?.chat ?? summary });
      break;
    case "failed":
      // The reason is in the chat's events: replay them to show it.
      showStopped("failed", null);
      follow(0);
      break;
    default:
      // Searching: replay the chat's events so the bar starts where the search is.
      showSearching();
      follow(0);
      break;
  }

  return {
    title: heading.textContent,
    node,
    cleanup: () => closeStream?.(),
  };
}
