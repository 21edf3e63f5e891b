// Modal dialogs on the native <dialog> element (focus is trapped and restored by the browser).

import { h } from "/assets/js/dom.js";
import { t } from "/assets/js/i18n.js";

/**
 * Opens a modal with `title` and `content` (nodes) and `actions`: [{label, value, kind}]
 * where kind is "primary" | "secondary" | "danger". Resolves with the chosen action's value,
 * or null when closed with Escape.
 */
export function openDialog({ title, content = [], actions }) {
  return new Promise((resolve) => {
    const titleId = `dialog-title-${Math.random().toString(36).slice(2)}`;
    const dialog = h("dialog", { "aria-labelledby": titleId });
    const buttons = actions.map((action) =>
      h(
        "button",
        {
          type: "button",
          class: `button ${action.kind === "secondary" ? "button-secondary" : ""} ${action.kind === "danger" ? "button-danger" : ""}`,
          onClick: () => close(action.value),
        },
        action.label,
      ),
    );
    dialog.append(h("h2", { id: titleId }, title), ...[content].flat(), h("div", { class: "dialog-actions" }, buttons));
    const close = (value) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      close(null);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** Asks to confirm something; resolves true only when confirmed. */
export async function confirmDialog({ title, text, confirmLabel, danger = false }) {
  const choice = await openDialog({
    title,
    content: [h("p", {}, text)],
    actions: [
      { label: t("app.cancel"), value: false, kind: "secondary" },
      { label: confirmLabel, value: true, kind: danger ? "danger" : "primary" },
    ],
  });
  return choice === true;
}
