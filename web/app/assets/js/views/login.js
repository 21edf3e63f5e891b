// Sign in: as a guest (when the server allows it) or with Google (when it is configured).
// Afterwards the person goes back to where they were going (`?next=`).

import { api, ApiError } from "/assets/js/api.js";
import { errorText } from "/assets/js/components/errorText.js";
import { h } from "/assets/js/dom.js";
import { t } from "/assets/js/i18n.js";
import { safeNext } from "/assets/js/router.js";
import { currentUser, signInAsGuest } from "/assets/js/session.js";

/** Where the Google sign-in goes back to after the round trip through Google. */
export const NEXT_KEY = "pf_login_next";

/** Whether the server offers Google sign-in (its consent URL answers). */
export async function googleConfigured() {
  try {
    const answer = await api.get("/auth/google/url");
    return typeof answer?.url === "string";
  } catch {
    return false;
  }
}

export default async function login(ctx) {
  const next = safeNext(ctx.query.get("next"));
  if (currentUser()) {
    ctx.navigate(next, { replace: true });
    return { title: t("login.title"), node: h("div") };
  }
  const hasGoogle = await googleConfigured();
  const status = h("p", { class: "alert", role: "alert", hidden: true });
  const showError = (text) => {
    status.textContent = text;
    status.hidden = false;
  };

  const guestButton = h("button", { type: "button", class: "button", dataset: { testid: "guest-login" } }, t("login.guest"));
  const guestHint = h("p", { class: "field-hint" }, t("login.guestHint"));
  guestButton.addEventListener("click", async () => {
    guestButton.disabled = true;
    status.hidden = true;
    try {
      await signInAsGuest();
      ctx.navigate(next, { replace: true });
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        guestButton.hidden = true;
        guestHint.hidden = true;
        showError(hasGoogle ? t("login.guestOff") : t("login.nothingAvailable"));
      } else {
        showError(errorText(error));
      }
      guestButton.disabled = false;
    }
  });

  const googleButton = h("button", { type: "button", class: "button button-secondary", dataset: { testid: "google-login" } }, t("login.google"));
  googleButton.addEventListener("click", async () => {
    googleButton.disabled = true;
    try {
      const { url } = await api.get("/auth/google/url");
      sessionStorage.setItem(NEXT_KEY, next);
      window.location.assign(url);
    } catch (error) {
      showError(errorText(error));
      googleButton.disabled = false;
    }
  });

  const node = h(
    "section",
    { class: "login card" },
    h("h1", {}, t("login.title")),
    h("p", { class: "muted" }, t("login.intro")),
    status,
    h("div", { class: "login-options" }, h("div", { class: "stack" }, guestButton, guestHint), hasGoogle ? googleButton : null),
    h("p", { class: "login-privacy muted" }, t("login.privacy"), " ", h("a", { href: "/#privacy", "data-reload": "" }, t("login.privacyLink"))),
  );
  return { title: t("login.title"), node };
}
