// Pieces shared by the account-side screens (history, saved, profiles, account, admin):
// the page header, a region that loads its data with loading/error states, empty states,
// a labelled filter box, an inline rename form, and a polite announcer for what just happened.

import { ApiError } from "/assets/js/api.js";
import { errorText } from "/assets/js/components/errorText.js";
import { confirmDialog } from "/assets/js/components/dialog.js";
import { h, replace } from "/assets/js/dom.js";
import { t } from "/assets/js/i18n.js";

let fieldCounter = 0;

/** A unique id for a form control and the texts tied to it. */
export function uniqueId(prefix) {
  fieldCounter += 1;
  return `${prefix}-${fieldCounter}`;
}

/** The screen's one `<h1>`, an optional introduction and actions (links or buttons). */
export function pageHeader({ title, intro, actions = [] }) {
  return h(
    "header",
    { class: "page-header" },
    h("div", { class: "page-heading" }, h("h1", {}, title), intro ? h("p", { class: "muted page-intro" }, intro) : null),
    actions.length ? h("div", { class: "row page-actions" }, actions) : null,
  );
}

/** A link styled as a button. */
export function linkButton(href, label, { secondary = false, testid } = {}) {
  return h("a", { class: `button${secondary ? " button-secondary" : ""}`, href, dataset: testid ? { testid } : undefined }, label);
}

/**
 * The frame of a screen of the `area` ("history", "saved"…): its header from
 * `<area>.title` and `<area>.intro`, a polite announcer, and the region its data fills.
 * `extra` nodes go after the region.
 */
export function pageShell(area, { actions = [], before = [], extra = [] } = {}) {
  const { node: status, say } = announcer();
  const region = h("div", { class: area, dataset: { testid: area } });
  const node = h(
    "section",
    { class: `page page-${area}` },
    pageHeader({ title: t(`${area}.title`), intro: t(`${area}.intro`), actions }),
    status,
    before,
    region,
    extra,
  );
  return { node, region, say, title: t(`${area}.title`) };
}

/** "Nothing here yet" for `area`, with a link to start a search (`<area>.empty…` texts). */
export function startSearchEmptyState(area) {
  return emptyState({
    title: t(`${area}.emptyTitle`),
    text: t(`${area}.emptyText`),
    action: linkButton("/start", t(`${area}.startSearch`)),
  });
}

/** A friendly "nothing here yet" block with an optional action. */
export function emptyState({ title, text, action, testid = "empty-state" }) {
  return h("div", { class: "state empty-state", dataset: { testid } }, h("h2", {}, title), text ? h("p", {}, text) : null, action ?? null);
}

/** What went wrong loading something, and a button that tries again. */
export function errorState(error, retry) {
  return h(
    "div",
    { class: "state error-state", role: "alert", dataset: { testid: "error-state" } },
    h("h2", {}, t("app.error.title")),
    h("p", {}, errorText(error)),
    retry ? h("button", { type: "button", class: "button", onClick: retry }, t("app.retry")) : null,
  );
}

/**
 * Fills `region` with what `load()` returns, rendered by `render(data)`; shows a loading
 * status meanwhile and an error state with "try again" when loading fails. `onError(error)`
 * may return a node to show instead of the generic error (a 403, say).
 */
export async function loadInto(region, load, render, { onError } = {}) {
  region.setAttribute("aria-busy", "true");
  replace(region, h("p", { class: "state state-loading", role: "status" }, t("app.loading")));
  try {
    const data = await load();
    replace(region, render(data));
  } catch (error) {
    const special = onError?.(error);
    replace(region, special ?? errorState(error, () => loadInto(region, load, render, { onError })));
  } finally {
    region.removeAttribute("aria-busy");
  }
}

/** A polite live region: `say(text)` tells screen-reader users what just happened. */
export function announcer() {
  const node = h("p", { class: "sr-only", role: "status", "aria-live": "polite" });
  const say = (text) => {
    node.textContent = "";
    // A fresh text node after clearing makes repeated messages be read again.
    requestAnimationFrame(() => {
      node.textContent = text;
    });
  };
  return { node, say };
}

/** Lower-case text without diacritics, so "zolw" finds "Żółw". */
export function foldText(value) {
  return String(value ?? "")
    .toLocaleLowerCase()
    .replaceAll("ł", "l")
    .normalize("NFD")
    .replace(/\p{M}/gu, "");
}

/** Whether every word of `query` occurs somewhere in `texts`. */
export function matchesQuery(query, texts) {
  const words = foldText(query).split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const haystack = texts.flat(Infinity).map(foldText).join(" \n ");
  return words.every((word) => haystack.includes(word));
}

/** A labelled search box; `onInput(value)` on every change. */
export function filterField({ label, placeholder, value = "", onInput, testid = "filter" }) {
  const id = uniqueId("filter");
  const input = h("input", {
    id,
    type: "search",
    value,
    placeholder,
    autocomplete: "off",
    spellcheck: "false",
    dataset: { testid },
  });
  input.addEventListener("input", () => onInput(input.value));
  return { node: h("div", { class: "field filter-field" }, h("label", { for: id }, label), input), input };
}

/**
 * An inline form that renames something: a labelled text field (1–`maxLength` characters),
 * Save and Cancel. `save(name)` talks to the API; an ApiError is shown next to the field
 * (`conflictText` for a 409). Resolves through `onDone(newNameOrNull)`.
 */
export function renameForm({ label, value, maxLength = 100, save, conflictText, onDone }) {
  const id = uniqueId("rename");
  const errorId = `${id}-error`;
  const input = h("input", { id, type: "text", value, maxlength: maxLength, required: true, autocomplete: "off", dataset: { testid: "rename-input" } });
  const error = h("p", { id: errorId, class: "field-error", hidden: true });
  const saveButton = h("button", { type: "submit", class: "button button-small", dataset: { testid: "rename-save" } }, t("pages.save"));
  const cancel = h("button", { type: "button", class: "button button-small button-secondary", onClick: () => onDone(null) }, t("app.cancel"));
  const showError = (text) => {
    error.textContent = text;
    error.hidden = !text;
    if (text) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", errorId);
    } else {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    }
  };
  const form = h(
    "form",
    { class: "rename-form", novalidate: true },
    h("div", { class: "field" }, h("label", { for: id }, label), input, error),
    h("div", { class: "row" }, saveButton, cancel),
  );
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      onDone(null);
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = input.value.trim();
    if (!name || name.length > maxLength) {
      showError(t("pages.nameLength", { max: maxLength }));
      input.focus();
      return;
    }
    if (name === value) {
      onDone(null);
      return;
    }
    saveButton.disabled = true;
    showError("");
    try {
      await save(name);
      onDone(name);
    } catch (failure) {
      showError(renameProblem(failure, conflictText, maxLength));
      input.focus();
    } finally {
      saveButton.disabled = false;
    }
  });
  return { node: form, focus: () => input.select() };
}

function renameProblem(error, conflictText, maxLength) {
  if (error instanceof ApiError && error.status === 409 && conflictText) return conflictText;
  // The API words its field problems in English; the length rule is the only one here.
  if (error instanceof ApiError && error.status === 400) return t("pages.nameLength", { max: maxLength });
  return errorText(error);
}

/** A small button. `danger` uses the danger outline. */
export function smallButton(label, onClick, { danger = false, testid, secondary = true } = {}) {
  const classes = ["button", "button-small"];
  if (secondary) classes.push("button-secondary");
  if (danger) classes.push("button-quiet-danger");
  return h("button", { type: "button", class: classes.join(" "), onClick, dataset: testid ? { testid } : undefined }, label);
}

/**
 * The title, rename and delete controls of one item of a list (a search, a saved profile).
 * Texts come from `<keys>.rename`, `.nameLabel`, `.nameTaken`, `.renamed`, `.delete`,
 * `.deleteTitle`, `.deleteText`, `.deleteConfirm`, `.deleted`, `.deleteFailed`.
 * `rename(name)` and `destroy()` call the API; `onRenamed(name)` and `onDeleted()` follow.
 */
export function manageItem({ keys, name, headingId, testid, rename, destroy, say, onRenamed, onDeleted }) {
  let current = name;
  const heading = h("h2", { class: "item-name", id: headingId }, current);
  const titleSlot = h("div", { class: "item-title" }, heading);
  const problem = h("p", { class: "alert", role: "alert", hidden: true });
  const describe = (button) => {
    button.setAttribute("aria-describedby", headingId);
    return button;
  };
  const renameButton = describe(smallButton(t(`${keys}.rename`), () => startRename(), { testid: `${testid}-rename` }));
  const deleteButton = describe(smallButton(t(`${keys}.delete`), () => remove(), { danger: true, testid: `${testid}-delete` }));

  function startRename() {
    problem.hidden = true;
    const form = renameForm({
      label: t(`${keys}.nameLabel`),
      value: current,
      conflictText: t(`${keys}.nameTaken`),
      save: rename,
      onDone: (renamed) => {
        if (renamed) {
          current = renamed;
          heading.textContent = renamed;
          say(t(`${keys}.renamed`, { name: renamed }));
          onRenamed?.(renamed);
        }
        replace(titleSlot, heading);
        renameButton.focus();
      },
    });
    replace(titleSlot, form.node);
    form.focus();
  }

  async function remove() {
    const confirmed = await confirmDialog({
      title: t(`${keys}.deleteTitle`),
      text: t(`${keys}.deleteText`, { name: current }),
      confirmLabel: t(`${keys}.deleteConfirm`),
      danger: true,
    });
    if (!confirmed) {
      deleteButton.focus();
      return;
    }
    deleteButton.disabled = true;
    problem.hidden = true;
    try {
      await destroy();
      say(t(`${keys}.deleted`, { name: current }));
      onDeleted();
    } catch (error) {
      problem.textContent = t(`${keys}.deleteFailed`, { reason: errorText(error) });
      problem.hidden = false;
      deleteButton.disabled = false;
      deleteButton.focus();
    }
  }

  return { titleSlot, problem, renameButton, deleteButton, describe };
}

/**
 * Removes `item` from its list after a deletion and moves focus to a neighbour's heading;
 * when the list is left empty, `whenEmpty()` replaces it and focus goes to the page's h1.
 */
export function removeFromList(item, whenEmpty) {
  const list = item.parentElement;
  const next = [item.nextElementSibling, item.previousElementSibling].find((element) => element && !element.hidden);
  item.remove();
  if (!list?.querySelector(":scope > li")) {
    whenEmpty();
    focusHeading(document.querySelector("#main"));
    return false;
  }
  focusHeading(next ?? document.querySelector("#main"));
  return true;
}

function focusHeading(container) {
  const target = container?.querySelector("h1, h2");
  if (target) {
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  }
}
