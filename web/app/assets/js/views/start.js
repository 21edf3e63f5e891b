// Start a search: the recipient's social profiles, the occasion, a budget and optionally a
// saved recipient profile. Validates as the API does; the API's own field errors appear next
// to their fields. `?occasion=…&instagramUrl=…&profile=<id>` prefill the form.

import { api, ApiError } from "/assets/js/api.js";
import { errorText } from "/assets/js/components/errorText.js";
import { giftDrawing } from "/assets/js/components/giftCard.js";
import { profilePicker } from "/assets/js/components/profilePicker.js";
import { drawing, h } from "/assets/js/dom.js";
import { lang, t } from "/assets/js/i18n.js";
import { rememberInputs } from "/assets/js/searchInputs.js";

export const OCCASIONS = ["birthday", "name-day", "anniversary", "holiday", "valentines", "just-because"];

const NETWORKS = [
  { field: "instagramUrl", domains: ["instagram.com"], placeholder: "https://www.instagram.com/…" },
  { field: "tiktokUrl", domains: ["tiktok.com"], placeholder: "https://www.tiktok.com/@…" },
  { field: "xUrl", domains: ["x.com", "twitter.com"], placeholder: "https://x.com/…" },
];
/** Pictures of the occasions, drawn by the app (24×24); emoji fonts are not everywhere. */
const OCCASION_ICONS = {
  birthday: "M12 2c1 1.4 1.5 2.4 1.5 3.2a1.5 1.5 0 0 1-3 0C10.5 4.4 11 3.4 12 2zm-1 5h2v3h5a2 2 0 0 1 2 2v2.2c-.8.5-1.6.8-2.5.8-1.3 0-2-.9-2.7-.9s-1.4.9-2.8.9-2.1-.9-2.8-.9-1.4.9-2.7.9c-.9 0-1.7-.3-2.5-.8V12a2 2 0 0 1 2-2h5zM4 16.4c.8.4 1.6.6 2.5.6 1.3 0 2-.8 2.7-.8s1.4.8 2.8.8 2.1-.8 2.8-.8 1.4.8 2.7.8c.9 0 1.7-.2 2.5-.6V21H4z",
  "name-day": "M12 2a3 3 0 0 1 3 3 3 3 0 0 1 2.8 4.2A3 3 0 0 1 13 12.8V22h-2v-9.2a3 3 0 0 1-4.8-3.6A3 3 0 0 1 9 5a3 3 0 0 1 3-3zm0 5.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zM5 14c2.8 0 5 1.8 5.6 4.3C7.8 18.3 5.6 16.6 5 14zm14 0c-.6 2.6-2.8 4.3-5.6 4.3.6-2.5 2.8-4.3 5.6-4.3z",
  anniversary: "M8.5 4C10 4 11 4.9 11.5 6c.5-1.1 1.5-2 3-2C17 4 18.4 6.4 17.5 8.7 16.4 11.5 11.5 15 11.5 15S6.6 11.5 5.5 8.7C4.6 6.4 6 4 8.5 4zm7 8.5c1.1 0 1.9.7 2.2 1.5.4-.8 1.1-1.5 2.2-1.5 1.8 0 2.8 1.8 2.1 3.4-.8 2-4.3 4.6-4.3 4.6s-3.5-2.6-4.3-4.6c-.7-1.6.3-3.4 2.1-3.4z",
  holiday: "M12 2l1 2.1 2.3.3-1.7 1.6.4 2.3L12 7.2l-2 1.1.4-2.3-1.7-1.6 2.3-.3zm0 7 4 5h-2l4 5h-5v3h-2v-3H6l4-5H8z",
  valentines: "M3 6h18a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1zm1 2.2V16h16V8.2l-8 5.3zM5.6 8 12 12.2 18.4 8zm6.4 7.6s-2.6-1.6-2.6-3a1.3 1.3 0 0 1 2.6-.4 1.3 1.3 0 0 1 2.6.4c0 1.4-2.6 3-2.6 3z",
};

const MAX_URL = 2048;
const MAX_PRICE = 100000;

/** The problem with a social URL (a catalog key), or null when it is fine or empty. */
export function urlProblem(value, domains) {
  const text = value.trim();
  if (!text) return null;
  if (text.length > MAX_URL) return "start.errors.urlTooLong";
  let url;
  try {
    url = new URL(text);
  } catch {
    return "start.errors.notUrl";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "start.errors.notHttp";
  const host = url.hostname.toLowerCase();
  return domains.some((domain) => host === domain || host.endsWith(`.${domain}`)) ? null : "start.errors.wrongNetwork";
}

function priceValue(input) {
  const text = input.value.trim().replace(",", ".");
  return text === "" ? null : Number(text);
}

function priceProblem(value) {
  if (value === null) return null;
  if (!Number.isFinite(value) || value <= 0) return "start.errors.pricePositive";
  if (value > MAX_PRICE) return "start.errors.priceTooHigh";
  return null;
}

/** A labelled input with a hint and an error line tied to it for assistive technology. */
function textField({ id, label, hint, ...attributes }) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const input = h("input", { id, name: id, "aria-describedby": `${hint ? hintId : ""} ${errorId}`.trim(), ...attributes });
  const error = h("p", { class: "field-error", id: errorId, hidden: true });
  const node = h("div", { class: "field" }, h("label", { for: id }, label), hint ? h("p", { class: "field-hint", id: hintId }, hint) : null, input, error);
  const setError = (text) => {
    error.textContent = text ?? "";
    error.hidden = !text;
    if (text) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  };
  return { node, input, setError };
}

function occasionCards(selected) {
  const error = h("p", { class: "field-error", id: "occasion-error", hidden: true });
  const cards = OCCASIONS.map((occasion) =>
    h(
      "label",
      { class: "occasion-card" },
      h("input", { type: "radio", name: "occasion", value: occasion, checked: occasion === selected, "aria-describedby": "occasion-error" }),
      OCCASION_ICONS[occasion] ? drawing(OCCASION_ICONS[occasion], "occasion-icon") : giftDrawing("gift", "occasion-icon"),
      h("span", { class: "occasion-label" }, t(`occasion.${occasion}.label`)),
    ),
  );
  const node = h("fieldset", { class: "field occasion-field" }, h("legend", {}, t("start.occasion")), h("div", { class: "occasion-grid" }, cards), error);
  const value = () => node.querySelector("input[name=occasion]:checked")?.value ?? null;
  const setError = (text) => {
    error.textContent = text ?? "";
    error.hidden = !text;
  };
  node.addEventListener("change", () => setError(null));
  return { node, value, setError };
}

export default async function start(ctx) {
  const query = ctx.query;
  const profiles = await api.get("/user-profiles").then((answer) => answer?.profiles ?? [], () => []);
  const initialOccasion = OCCASIONS.includes(query.get("occasion")) ? query.get("occasion") : null;

  const socials = NETWORKS.map((network) => {
    const field = textField({
      id: network.field,
      label: t(`start.networks.${network.field}`),
      type: "url",
      inputmode: "url",
      autocomplete: "off",
      spellcheck: "false",
      placeholder: network.placeholder,
      value: query.get(network.field) ?? "",
    });
    let touched = Boolean(field.input.value);
    const check = () => {
      const problem = urlProblem(field.input.value, network.domains);
      field.setError(touched && problem ? t(problem, { network: t(`start.networks.${network.field}`) }) : null);
      return !problem;
    };
    field.input.addEventListener("input", check);
    field.input.addEventListener("blur", () => {
      touched = true;
      check();
    });
    return { ...network, ...field, check: () => ((touched = true), check()) };
  });

  const occasion = occasionCards(initialOccasion);
  const minPrice = textField({ id: "minPrice", label: t("start.minPrice"), type: "text", inputmode: "decimal", placeholder: t("start.minPlaceholder"), value: query.get("minPrice") ?? "" });
  const maxPrice = textField({ id: "maxPrice", label: t("start.maxPrice"), type: "text", inputmode: "decimal", placeholder: t("start.maxPlaceholder"), value: query.get("maxPrice") ?? "" });
  const checkPrices = () => {
    const min = priceValue(minPrice.input);
    const max = priceValue(maxPrice.input);
    const minProblem = priceProblem(min);
    let maxProblem = priceProblem(max);
    if (!minProblem && !maxProblem && min !== null && max !== null && min > max) maxProblem = "start.errors.minAboveMax";
    minPrice.setError(minProblem ? t(minProblem) : null);
    maxPrice.setError(maxProblem ? t(maxProblem) : null);
    return !minProblem && !maxProblem;
  };
  minPrice.input.addEventListener("input", checkPrices);
  maxPrice.input.addEventListener("input", checkPrices);

  const picker = profilePicker(profiles, query.get("profile"));
  const formError = h("div", { class: "alert", role: "alert", hidden: true, dataset: { testid: "start-error" } });
  const submit = h("button", { type: "submit", class: "button start-submit" }, t("start.submit"));

  const fields = { instagramUrl: socials[0], tiktokUrl: socials[1], xUrl: socials[2], minPrice, maxPrice, occasion };
  const showApiErrors = (error) => {
    let placed = false;
    for (const { field, problem } of error.details ?? []) {
      const target = fields[field];
      if (!target) continue;
      target.setError(t(`start.errors.server.${field}`, { problem }));
      placed = true;
    }
    return placed;
  };

  const form = h(
    "form",
    { class: "start-form", novalidate: true },
    h(
      "section",
      { class: "card stack" },
      h("h2", {}, t("start.aboutTitle")),
      h("p", { class: "muted" }, t("start.aboutHint")),
      socials.map((field) => field.node),
      picker.node,
    ),
    h("section", { class: "card" }, occasion.node),
    h(
      "section",
      { class: "card" },
      h("fieldset", { class: "budget" }, h("legend", {}, h("h2", {}, t("start.budget"))), h("p", { class: "field-hint" }, t("start.budgetHint")), h("div", { class: "budget-row" }, minPrice.node, maxPrice.node)),
    ),
    formError,
    submit,
  );

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    formError.hidden = true;
    const urlsValid = socials.map((field) => field.check()).every(Boolean);
    const pricesValid = checkPrices();
    const chosenOccasion = occasion.value();
    occasion.setError(chosenOccasion ? null : t("start.errors.occasion"));
    if (!urlsValid || !pricesValid || !chosenOccasion) {
      form.querySelector("[aria-invalid=true], input[name=occasion]")?.focus();
      return;
    }
    const inputs = {
      occasion: chosenOccasion,
      instagramUrl: socials[0].input.value.trim(),
      tiktokUrl: socials[1].input.value.trim(),
      xUrl: socials[2].input.value.trim(),
      minPrice: priceValue(minPrice.input),
      maxPrice: priceValue(maxPrice.input),
      profile: picker.value(),
    };
    const chatId = crypto.randomUUID();
    const body = { chatId, occasion: inputs.occasion, instagramUrl: inputs.instagramUrl, tiktokUrl: inputs.tiktokUrl, xUrl: inputs.xUrl, locale: lang };
    if (inputs.profile) body.profileId = inputs.profile;
    if (inputs.minPrice !== null) body.minPrice = inputs.minPrice;
    if (inputs.maxPrice !== null) body.maxPrice = inputs.maxPrice;
    submit.disabled = true;
    submit.textContent = t("start.submitting");
    try {
      await api.post("/restapi/stalking-request", body);
      rememberInputs(chatId, inputs);
      ctx.navigate(`/chat/${chatId}`);
    } catch (error) {
      const placed = error instanceof ApiError && error.status === 400 && showApiErrors(error);
      formError.textContent = placed ? t("start.errors.fixFields") : errorText(error);
      formError.hidden = false;
      submit.disabled = false;
      submit.textContent = t("start.submit");
    }
  });

  const node = h(
    "div",
    { class: "start" },
    h("header", { class: "page-header" }, h("div", {}, h("h1", {}, t("start.title")), h("p", { class: "muted" }, t("start.intro")))),
    form,
  );
  return { title: t("start.title"), node };
}
