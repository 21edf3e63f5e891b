// Google sends the browser back here with `code` and `state`; the server finishes the
// sign-in and the person goes on to where they were going before.

import { api } from "/assets/js/api.js";
import { h } from "/assets/js/dom.js";
import { t } from "/assets/js/i18n.js";
import { safeNext } from "/assets/js/router.js";
import { setUser } from "/assets/js/session.js";
import { NEXT_KEY } from "/assets/js/views/login.js";

function failure() {
  return {
    title: t("login.failedTitle"),
    node: h(
      "section",
      { class: "state" },
      h("h1", {}, t("login.failedTitle")),
      h("p", {}, t("login.failedText")),
      h("a", { class: "button", href: "/login" }, t("login.backToLogin")),
    ),
  };
}

export default async function googleCallback(ctx) {
  const code = ctx.query.get("code");
  if (!code) return failure();
  try {
    const answer = await api.post("/auth/google/callback", { code, state: ctx.query.get("state") });
    setUser(answer?.user ?? null);
  } catch {
    return failure();
  }
  const next = safeNext(sessionStorage.getItem(NEXT_KEY));
  sessionStorage.removeItem(NEXT_KEY);
  ctx.navigate(next, { replace: true });
  return { title: t("login.title"), node: h("div") };
}
