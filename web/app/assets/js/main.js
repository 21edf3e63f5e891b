// The app's entry point: who is signed in, the header's account state, then the screens.

import { h, replace } from "/assets/js/dom.js";
import { lang, setLang, t } from "/assets/js/i18n.js";
import { startRouter } from "/assets/js/router.js";
import { currentUser, displayName, loadUser, onUserChange } from "/assets/js/session.js";

/** Fills the header's account slot (`[data-account]`) for the signed-in user. */
function renderAccountSlot(user) {
  const slot = document.querySelector("[data-account]");
  if (slot) {
    const label = user ? (displayName(user) ?? t("app.guest")) : t("app.signIn");
    replace(slot, h("a", { href: user ? "/account" : "/login", class: "account-link" }, label));
  }
  for (const element of document.querySelectorAll("[data-requires-user]")) {
    element.hidden = !user;
  }
  for (const element of document.querySelectorAll("[data-requires-admin]")) {
    element.hidden = user?.role !== "admin";
  }
}

/** Language links switch without a full navigation to the query URL. */
function enhanceLanguageSwitch() {
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[hreflang]");
    if (!link || !link.href.includes("lang=")) return;
    const next = link.getAttribute("hreflang");
    if (next === lang) return;
    event.preventDefault();
    setLang(next);
  });
}

async function boot() {
  enhanceLanguageSwitch();
  try {
    await loadUser();
  } catch {
    // The server is unreachable: screens that need it show their own error state.
  }
  renderAccountSlot(currentUser());
  onUserChange(renderAccountSlot);
  startRouter();
  document.documentElement.dataset.app = "ready";
}

boot();
