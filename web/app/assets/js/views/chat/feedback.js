// Rating the results: 1–5 stars (a native radio group, so arrows and Tab work) and an
// optional comment. A chat already rated shows its rating instead of the form.

import { api, ApiError } from "/assets/js/api.js";
import { errorText } from "/assets/js/components/errorText.js";
import { h, icon, replace } from "/assets/js/dom.js";
import { t } from "/assets/js/i18n.js";

const RATINGS = [1, 2, 3, 4, 5];

function stars(rating) {
  return h(
    "span",
    { class: "stars", role: "img", "aria-label": t("results.rate.stars", { count: rating }) },
    RATINGS.map((value) => h("span", { class: value <= rating ? "star on" : "star" }, icon("star"))),
  );
}

function ratedView(feedback) {
  return [
    h("h2", {}, t("results.rate.doneTitle")),
    h("p", { class: "rated", dataset: { testid: "rated" } }, stars(feedback.rating), " ", t(`results.rate.labels.${feedback.rating}`)),
    feedback.comment ? h("blockquote", { class: "rated-comment" }, feedback.comment) : null,
  ];
}

async function existingFeedback(chatId) {
  try {
    return await api.get(`/feedback/chat/${chatId}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

function ratingForm(chatId, onRated) {
  const starLabels = RATINGS.map((value) =>
    h(
      "label",
      { class: "star-choice", title: t(`results.rate.labels.${value}`) },
      h("input", { type: "radio", name: "rating", value, class: "sr-only", "aria-label": `${t("results.rate.stars", { count: value })} — ${t(`results.rate.labels.${value}`)}` }),
      icon("star"),
    ),
  );
  const chosenText = h("span", { class: "star-text muted", "aria-hidden": "true" });
  const group = h("fieldset", { class: "star-group" }, h("legend", {}, t("results.rate.rating")), h("div", { class: "star-row" }, starLabels, chosenText));
  const paint = () => {
    const value = Number(group.querySelector("input:checked")?.value ?? 0);
    starLabels.forEach((label, index) => label.classList.toggle("on", index < value));
    chosenText.textContent = value ? t(`results.rate.labels.${value}`) : "";
  };
  group.addEventListener("change", paint);
  const comment = h("textarea", { id: "feedback-comment", rows: 3, maxlength: 2000 });
  const error = h("p", { class: "alert", role: "alert", hidden: true });
  const submit = h("button", { type: "submit", class: "button" }, t("results.rate.submit"));
  const form = h(
    "form",
    { class: "feedback-form" },
    group,
    h("div", { class: "field" }, h("label", { for: "feedback-comment" }, t("results.rate.comment")), comment),
    error,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const rating = Number(group.querySelector("input:checked")?.value ?? 0);
    if (!rating) {
      error.textContent = t("results.rate.pickRating");
      error.hidden = false;
      group.querySelector("input")?.focus();
      return;
    }
    error.hidden = true;
    submit.disabled = true;
    const text = comment.value.trim();
    try {
      await api.post("/feedback", { chatId, rating, comment: text || null });
      onRated({ rating, comment: text || null });
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 409) {
        onRated((await existingFeedback(chatId).catch(() => null)) ?? { rating, comment: text || null });
        return;
      }
      error.textContent = errorText(failure);
      error.hidden = false;
      submit.disabled = false;
    }
  });
  return [h("h2", {}, t("results.rate.title")), h("p", { class: "muted" }, t("results.rate.intro")), form];
}

/** The rating section of `chatId`'s results. */
export async function feedbackSection(chatId) {
  const section = h("section", { class: "feedback card", dataset: { testid: "feedback" }, "aria-live": "polite" });
  let existing = null;
  try {
    existing = await existingFeedback(chatId);
  } catch {
    existing = null;
  }
  const showRated = (feedback) => {
    replace(section, ratedView(feedback));
    section.querySelector("h2")?.setAttribute("tabindex", "-1");
    section.querySelector("h2")?.focus();
  };
  if (existing) replace(section, ratedView(existing));
  else replace(section, ratingForm(chatId, showRated));
  return section;
}
