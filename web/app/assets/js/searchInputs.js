// The inputs of searches started in this browser, kept by chat id, so a failed search can be
// tried again with the same inputs (the API's chat snapshot does not carry them).

const PREFIX = "pf_search:";
const KEEP = 30;

/** Remembers what search `chatId` was started with (the oldest entries beyond KEEP go). */
export function rememberInputs(chatId, inputs) {
  try {
    localStorage.setItem(PREFIX + chatId, JSON.stringify({ ...inputs, at: Date.now() }));
    const keys = Object.keys(localStorage).filter((key) => key.startsWith(PREFIX));
    if (keys.length <= KEEP) return;
    const byAge = keys.map((key) => [key, JSON.parse(localStorage.getItem(key) ?? "{}").at ?? 0]).sort((a, b) => a[1] - b[1]);
    for (const [key] of byAge.slice(0, keys.length - KEEP)) localStorage.removeItem(key);
  } catch {
    // Storage full or disabled: "try again" falls back to an empty form.
  }
}

/** The start form's address prefilled with the inputs of `chatId` (an empty form if unknown). */
export function retryUrl(chatId) {
  let inputs = {};
  try {
    inputs = JSON.parse(localStorage.getItem(PREFIX + chatId) ?? "{}") ?? {};
  } catch {
    inputs = {};
  }
  const query = new URLSearchParams();
  for (const name of ["occasion", "instagramUrl", "tiktokUrl", "xUrl", "minPrice", "maxPrice", "profile"]) {
    const value = inputs[name];
    if (value !== null && value !== undefined && value !== "") query.set(name, String(value));
  }
  const text = query.toString();
  return text ? `/start?${text}` : "/start";
}
