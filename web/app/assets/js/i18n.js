// Translations: the server embeds the chosen language's catalog in the page; plural forms
// and number, price and date formats come from the browser's Intl (CLDR) rules.

const LOCALES = { pl: "pl-PL", en: "en-GB" };

/** The page's language: "pl" or "en". */
export const lang = document.documentElement.dataset.lang === "en" ? "en" : "pl";
const locale = LOCALES[lang];
const catalog = readCatalog();
const plurals = new Intl.PluralRules(locale);

function readCatalog() {
  const script = document.getElementById("i18n");
  try {
    return script ? JSON.parse(script.textContent) : {};
  } catch {
    return {};
  }
}

function lookup(key) {
  let node = catalog;
  for (const part of key.split(".")) {
    if (node === null || typeof node !== "object" || !(part in node)) return undefined;
    node = node[part];
  }
  return node;
}

/**
 * The message `key` ("results.title") with `{name}` placeholders filled from `vars`. A plural
 * message (an object of CLDR categories) is chosen by `vars.count`. A missing key shows the
 * key itself, so a gap is visible rather than blank.
 */
export function t(key, vars = {}) {
  let message = lookup(key);
  if (message !== null && typeof message === "object") {
    const category = plurals.select(Number(vars.count ?? 0));
    message = message[category] ?? message.other;
  }
  if (typeof message !== "string") return key;
  return message.replace(/\{(\w+)\}/g, (whole, name) =>
    name in vars ? formatValue(vars[name]) : whole,
  );
}

/** Whether the catalog has `key` (for optional texts such as per-stage hints). */
export function has(key) {
  return lookup(key) !== undefined;
}

function formatValue(value) {
  return typeof value === "number" ? formatNumber(value) : String(value);
}

export function formatNumber(value) {
  return new Intl.NumberFormat(locale).format(value);
}

/** A price for the locale: "129,00 zł" in Polish, "PLN 129.00" in English. */
export function formatPrice(value, currency = "PLN") {
  if (typeof value !== "number" || !Number.isFinite(value)) return "";
  try {
    return new Intl.NumberFormat(locale, {
      style: "currency",
      currency: currency || "PLN",
      currencyDisplay: lang === "en" ? "code" : "symbol",
    }).format(value);
  } catch {
    return `${formatNumber(value)} ${currency}`;
  }
}

export function formatDate(iso, options = { dateStyle: "long" }) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return new Intl.DateTimeFormat(locale, options).format(date);
}

export function formatDateTime(iso) {
  return formatDate(iso, { dateStyle: "medium", timeStyle: "short" });
}

/** Switches the language: remembered in a cookie; the page reloads in it. */
export function setLang(next) {
  if (next !== "pl" && next !== "en") return;
  document.cookie = `pf_lang=${next}; path=/; max-age=31536000; samesite=lax`;
  window.location.reload();
}
