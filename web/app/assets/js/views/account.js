// The account: who is signed in, the language, sign out, export my data, delete my account.

import { api } from "/assets/js/api.js";
import { confirmDialog, openDialog } from "/assets/js/components/dialog.js";
import { errorText } from "/assets/js/components/errorText.js";
import { pageHeader } from "/assets/js/components/pageKit.js";
import { h } from "/assets/js/dom.js";
import { lang, setLang, t } from "/assets/js/i18n.js";
import { currentUser, displayName, setUser, signOut } from "/assets/js/session.js";

const LANGUAGES = [
  { code: "pl", name: "Polski" },
  { code: "en", name: "English" },
];

/** A user field, or null when unknown (older servers send "" for unknown). */
function known(value) {
  return typeof value === "string" && value.trim() !== "" ? value : null;
}

async function googleConfigured() {
  try {
    const answer = await api.get("/auth/google/url");
    return typeof answer?.url === "string";
  } catch {
    return false;
  }
}

function avatar(user, name) {
  const picture = known(user.picture);
  if (picture && /^https:\/\//i.test(picture)) {
    return h("img", { class: "avatar", src: picture, alt: "", width: 64, height: 64, referrerpolicy: "no-referrer" });
  }
  const initial = (name ?? "?").trim().charAt(0).toLocaleUpperCase() || "?";
  return h("span", { class: "avatar avatar-initial", "aria-hidden": "true" }, initial);
}

function identityCard(user, hasGoogle) {
  const name = user.isGuest ? t("account.guestName") : (known(displayName(user)) ?? known(user.name) ?? t("account.unnamed"));
  const email = known(user.email);
  return h(
    "section",
    { class: "card account-card", "aria-labelledby": "account-who" },
    h("h2", { id: "account-who" }, t("account.who")),
    h(
      "div",
      { class: "account-identity" },
      avatar(user, name),
      h(
        "div",
        {},
        h("p", { class: "account-name", dataset: { testid: "account-name" } }, name),
        email ? h("p", { class: "muted account-email", dataset: { testid: "account-email" } }, email) : null,
        user.role === "admin"
          ? h("p", { class: "row" }, h("span", { class: "role-badge", dataset: { testid: "role-badge" } }, t("account.admin")), h("a", { href: "/admin" }, t("account.adminLink")))
          : null,
      ),
    ),
    user.isGuest ? guestNotice(hasGoogle) : null,
  );
}

function guestNotice(hasGoogle) {
  return h(
    "div",
    { class: "notice account-guest", dataset: { testid: "guest-notice" } },
    h("p", {}, t("account.guestExplain")),
    hasGoogle
      ? h("p", {}, t("account.guestGoogle"), " ", h("a", { href: "/login?next=%2Faccount" }, t("account.guestGoogleLink")))
      : null,
  );
}

function languageCard() {
  const buttons = LANGUAGES.map((language) =>
    h(
      "button",
      {
        type: "button",
        class: "button button-small button-secondary language-option",
        lang: language.code,
        "aria-pressed": String(language.code === lang),
        onClick: () => language.code !== lang && setLang(language.code),
      },
      language.name,
    ),
  );
  return h(
    "section",
    { class: "card", "aria-labelledby": "account-language" },
    h("h2", { id: "account-language" }, t("account.language")),
    h("p", { class: "muted" }, t("account.languageHint")),
    h("div", { class: "row", role: "group", "aria-labelledby": "account-language" }, buttons),
  );
}

/** Today as YYYY-MM-DD in the person's time zone. */
function today() {
  const now = new Date();
  const pad = (value) => String(value).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function saveJson(data, filename) {
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser time to start the download before the URL is released.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** A button that runs `action`, disabled meanwhile, reporting into `status`. */
function actionButton(label, action, { danger = false, testid }) {
  const button = h("button", { type: "button", class: `button${danger ? " button-danger" : " button-secondary"}`, dataset: { testid } }, label);
  const status = h("p", { class: "account-status", role: "status", hidden: true });
  button.addEventListener("click", async () => {
    button.disabled = true;
    status.hidden = true;
    status.classList.remove("field-error");
    try {
      const done = await action();
      if (done) {
        status.textContent = done;
        status.hidden = false;
      }
    } catch (error) {
      status.textContent = errorText(error);
      status.classList.add("field-error");
      status.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
  return [button, status];
}

async function exportData() {
  const data = await api.get("/auth/me/export");
  const filename = `present-finder-export-${today()}.json`;
  saveJson(data, filename);
  return t("account.exported", { filename });
}

async function confirmSignOut(user) {
  if (!user.isGuest) return true;
  return confirmDialog({
    title: t("account.signOutGuestTitle"),
    text: t("account.signOutGuestText"),
    confirmLabel: t("account.signOut"),
    danger: true,
  });
}

async function signOutAndLeave(user) {
  if (!(await confirmSignOut(user))) return null;
  await signOut();
  window.location.assign("/");
  return null;
}

async function confirmDeletion() {
  const choice = await openDialog({
    title: t("account.deleteTitle"),
    content: [
      h("p", {}, t("account.deleteIntro")),
      h(
        "ul",
        { class: "erase-list" },
        ["chats", "gifts", "profiles", "feedback", "account"].map((part) => h("li", {}, t(`account.erase.${part}`))),
      ),
      h("p", { class: "field-error" }, t("account.deleteWarning")),
    ],
    actions: [
      { label: t("app.cancel"), value: false, kind: "secondary" },
      { label: t("account.deleteConfirm"), value: true, kind: "danger" },
    ],
  });
  return choice === true;
}

async function deleteAccount() {
  if (!(await confirmDeletion())) return null;
  await api.del("/auth/me");
  setUser(null);
  window.location.assign("/");
  return null;
}

/** A card with a heading, a hint and one action button with its status line. */
function actionCard({ id, heading, hint, button, danger = false }) {
  return h(
    "section",
    { class: `card${danger ? " danger-zone" : ""}`, "aria-labelledby": id },
    h("h2", { id }, heading),
    h("p", { class: "muted" }, hint),
    button,
  );
}

function actionCards(user) {
  return [
    actionCard({
      id: "account-data",
      heading: t("account.data"),
      hint: t("account.exportHint"),
      button: actionButton(t("account.export"), exportData, { testid: "export" }),
    }),
    actionCard({
      id: "account-session",
      heading: t("account.session"),
      hint: t(user.isGuest ? "account.signOutGuestHint" : "account.signOutHint"),
      button: actionButton(t("account.signOut"), () => signOutAndLeave(user), { testid: "sign-out" }),
    }),
    actionCard({
      id: "account-delete",
      heading: t("account.deleteHeading"),
      hint: t("account.deleteHint"),
      button: actionButton(t("account.delete"), deleteAccount, { danger: true, testid: "delete-account" }),
      danger: true,
    }),
  ];
}

export default async function account() {
  const user = currentUser();
  const hasGoogle = user?.isGuest ? await googleConfigured() : false;
  const node = h(
    "section",
    { class: "page page-account" },
    pageHeader({ title: t("account.title") }),
    h("div", { class: "account-grid" }, identityCard(user, hasGoogle), languageCard(), actionCards(user)),
  );
  return { title: t("account.title"), node };
}
