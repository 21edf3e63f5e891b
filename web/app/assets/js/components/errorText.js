// What to tell a person when a request failed, in their language.

import { ApiError } from "/assets/js/api.js";
import { t } from "/assets/js/i18n.js";

/** A wait in seconds as words: "45 s" → "45 sekund" / "2 minuty". */
export function waitText(seconds) {
  const value = Math.max(1, Math.ceil(Number(seconds) || 1));
  if (value < 90) return t("errors.seconds", { count: value });
  return t("errors.minutes", { count: Math.ceil(value / 60) });
}

/** A sentence for `error` (an ApiError or anything thrown). */
export function errorText(error) {
  if (!(error instanceof ApiError)) return t("errors.generic");
  if (error.status === 0) return t("app.offline");
  if (error.status === 429) {
    return error.retryAfter ? t("errors.tooManyWait", { wait: waitText(error.retryAfter) }) : t("errors.tooMany");
  }
  if (error.status === 401) return t("errors.signedOut");
  return t("errors.generic");
}
