// The main journey, as a person clicks it: guest sign-in, a search with a budget, the
// interview (suggested answers, one typed answer, a reload in the middle), the progress bar,
// results within the budget with reasons, filters and sorting kept in the address, a
// favourite that Saved shows, a rating, and the next screens in English.

import assert from "node:assert/strict";

const BUDGET = { min: 50, max: 250 };
const FREE_TEXT = "Uwielbia gotować i czyta kryminały";

/** Records every value the progress bar shows, from the first page load on. */
function recordProgress() {
  window.__progressValues = [];
  new MutationObserver((records) => {
    for (const record of records) {
      const value = record.target.getAttribute?.("aria-valuenow");
      if (record.target.getAttribute?.("role") === "progressbar" && value !== null) window.__progressValues.push(Number(value));
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-valuenow"] });
}

const phaseOf = (page) => page.locator("[data-phase]").getAttribute("data-phase");
const priceOf = (text) => Number(text.replace(/[^\d,.]/g, "").replace(/\.(?=\d{3})/g, "").replace(",", "."));

/** Answers the current question: a typed answer when a text box is asked for, else the first suggestion. */
async function answer(page) {
  const area = page.getByTestId("answer-area");
  const box = area.getByRole("textbox");
  if (await box.count()) {
    const question = await page.getByTestId("assistant-message").last().textContent();
    await box.fill(/nazwać|called/i.test(question) ? "Ania" : FREE_TEXT);
    await box.press("Enter");
    return "typed";
  }
  await area.getByRole("group").getByRole("button").first().click();
  return "clicked";
}

/** Waits until the question after the one just answered (or the end of the interview). */
async function nextTurn(page, answeredBefore) {
  await page.waitForFunction(
    (count) =>
      document.querySelector("[data-phase]")?.dataset.phase !== "interview" ||
      (document.querySelectorAll("[data-testid=user-message]:not(.pending)").length > count &&
        document.querySelector("[data-testid=answer-area]")?.children.length > 0),
    answeredBefore,
  );
}

export async function journey({ page, baseUrl, check, shoot }) {
  await page.addInitScript(recordProgress);
  await page.context().addCookies([{ name: "pf_lang", value: "pl", url: baseUrl }]);

  // Sign in as a guest, coming back to the start form.
  await page.goto(`${baseUrl}/start`);
  await page.waitForURL(/\/login\?next=/);
  await page.getByRole("heading", { level: 1, name: "Zaloguj się" }).waitFor();
  await check(page, "login");
  await shoot(page, "login");
  await page.getByRole("button", { name: "Kontynuuj jako gość" }).click();
  await page.waitForURL(/\/start$/);

  // Start a search with a budget.
  await page.getByRole("heading", { level: 1, name: "Znajdź idealny prezent" }).waitFor();
  await check(page, "start");
  await shoot(page, "start");
  await page.getByRole("radio", { name: "Urodziny" }).check();
  await page.getByLabel("Od (zł)").fill(String(BUDGET.min));
  await page.getByLabel("Do (zł)").fill(String(BUDGET.max));
  await page.getByRole("button", { name: "Znajdź pomysły na prezenty" }).click();
  await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
  const chatId = page.url().split("/").pop();

  // The interview: suggested answers, one typed answer, a reload in the middle.
  const log = page.getByRole("log");
  await page.getByTestId("assistant-message").first().waitFor();
  await page.getByTestId("question-counter").filter({ hasText: "Pytanie 1 z maks. 12" }).waitFor();
  await check(page, "interview");
  await shoot(page, "interview");
  const ways = new Set();
  let reloaded = false;
  let lastAnswerAt = 0;
  for (let turn = 0; turn < 40 && (await phaseOf(page)) === "interview"; turn += 1) {
    const answered = await page.getByTestId("user-message").count();
    lastAnswerAt = Date.now();
    ways.add(await answer(page));
    await nextTurn(page, answered);
    if (!reloaded && turn === 3 && (await phaseOf(page)) === "interview") {
      const bubbles = await log.getByTestId(/message$/).count();
      const counter = await page.getByTestId("question-counter").textContent();
      await page.reload();
      await page.getByTestId("answer-area").getByRole("button").first().waitFor();
      assert.equal(await log.getByTestId(/message$/).count(), bubbles, "a reload shows each message once");
      assert.equal(await page.getByTestId("question-counter").textContent(), counter, "a reload keeps the question counter");
      reloaded = true;
    }
  }
  assert.ok(reloaded, "the interview was reloaded midway");
  assert.deepEqual([...ways].sort(), ["clicked", "typed"], "answers were both clicked and typed");

  // Results: the first card, then the figures the journey reports.
  const firstCard = page.getByTestId("gift-card").first();
  await firstCard.waitFor({ state: "visible" });
  const answerToGift = Date.now() - lastAnswerAt;
  console.log(`last answer → first visible gift card: ${answerToGift} ms`);
  const progress = await page.evaluate(() => window.__progressValues);
  assert.ok(new Set(progress).size >= 2, `the progress bar moved (${progress.join(", ")})`);
  assert.deepEqual(progress, [...progress].sort((a, b) => a - b), "the progress bar never moved backwards");

  await page.getByRole("heading", { level: 1, name: "Pomysły na prezent" }).waitFor();
  const stored = await (await page.request.get(`${baseUrl}/chats/${chatId}/listings`)).json();
  assert.ok(stored.listings.length > 0, "the search found gifts");
  for (const listing of stored.listings) {
    assert.ok(listing.price.value >= BUDGET.min && listing.price.value <= BUDGET.max, `${listing.title} costs ${listing.price.value}, within the budget`);
  }
  const cards = page.getByTestId("gift-card");
  assert.equal(await cards.count(), stored.listings.length);
  assert.equal(await page.getByTestId("reason").count(), stored.listings.length, "every gift says why it fits");
  for (const text of await page.getByTestId("price").allTextContents()) {
    const value = priceOf(text);
    assert.ok(value >= BUDGET.min && value <= BUDGET.max && text.includes("zł"), `shown price ${text}`);
  }
  await page.getByTestId("results-count").filter({ hasText: /^\d+ prezent(y|ów)?$/ }).waitFor();
  await check(page, "results");
  await shoot(page, "results");

  // Sort by price and narrow the price range: kept in the address and through a reload.
  await page.getByLabel("Sortuj").selectOption("price-asc");
  await page.waitForURL(/sort=price-asc/);
  const filtersToggle = page.getByText("Filtry", { exact: true });
  if (await filtersToggle.isVisible()) await filtersToggle.click();
  await page.getByLabel("Do", { exact: true }).fill("100");
  await page.waitForURL(/max=100/);
  const shownPrices = async () => (await page.getByTestId("price").allTextContents()).map(priceOf);
  const filtered = await shownPrices();
  assert.ok(filtered.every((value) => value <= 100), "the price filter applies");
  assert.deepEqual(filtered, [...filtered].sort((a, b) => a - b), "sorted by price, lowest first");
  const expected = stored.listings.filter((listing) => listing.price.value <= 100).length;
  assert.equal(filtered.length, expected);
  await page.reload();
  await page.getByTestId("gift-card").first().waitFor();
  assert.equal(await page.getByLabel("Sortuj").inputValue(), "price-asc");
  assert.equal(await page.getByLabel("Do", { exact: true }).inputValue(), "100");
  assert.deepEqual(await shownPrices(), filtered, "a reload keeps the filters and the order");

  // Filter to nothing: the empty state clears the filters.
  await page.getByLabel("Szukaj w wynikach").fill("zzz-nic-takiego");
  await page.getByRole("button", { name: "Wyczyść filtry" }).click();
  await page.getByTestId("gift-card").first().waitFor();
  assert.equal(await page.getByTestId("gift-card").count(), stored.listings.length);

  // Favourite the cheapest gift; the API and the Saved screen have it.
  await page.getByLabel("Sortuj").selectOption("price-asc");
  const card = page.getByTestId("gift-card").first();
  const title = (await card.getByRole("heading").textContent()).trim();
  const heart = card.getByRole("button", { name: `Zapisz prezent: ${title}` });
  const saving = page.waitForResponse((response) => response.url().endsWith("/favorites") && response.request().method() === "POST");
  await heart.click();
  await card.getByRole("button", { name: `Usuń z zapisanych: ${title}`, pressed: true }).waitFor();
  assert.equal((await saving).status(), 201);
  const favourites = await (await page.request.get(`${baseUrl}/favorites`)).json();
  assert.ok(favourites.favorites.some((listing) => listing.title === title), "the favourite is stored");

  // Rate the results with the keyboard.
  await page.getByRole("radio", { name: /^1 gwiazdka/ }).focus();
  for (let step = 0; step < 3; step += 1) await page.keyboard.press("ArrowRight");
  assert.ok(await page.getByRole("radio", { name: /^4 gwiazdki/ }).isChecked(), "arrow keys choose the rating");
  await page.getByLabel("Komentarz (opcjonalnie)").fill("Trafione pomysły");
  await page.getByRole("button", { name: "Wyślij ocenę" }).click();
  await page.getByTestId("rated").waitFor();

  // "Not this" on a gift: one more search, merged into the list without that kind of gift.
  await page.getByLabel("Sortuj").selectOption("best");
  const judgedCard = page.getByTestId("gift-card").filter({ hasNotText: title }).first();
  const judgedTitle = (await judgedCard.getByRole("heading").textContent()).trim();
  const refining = page.waitForResponse((response) => response.url().endsWith("/refinements") && response.request().method() === "POST");
  await judgedCard.getByRole("button", { name: `Nie to: ${judgedTitle}` }).click();
  assert.equal((await refining).status(), 202);
  await page.getByTestId("refine-status").filter({ hasText: "Dodano nowe propozycje" }).waitFor({ timeout: 60_000 });
  const refined = await (await page.request.get(`${baseUrl}/chats/${chatId}/listings`)).json();
  assert.ok(!refined.listings.some((listing) => listing.title === judgedTitle), "the gift said \"not this\" to is gone");
  assert.ok(refined.listings.some((listing) => listing.title === title), "the favourite stays");
  await page.getByTestId("gift-card").nth(refined.listings.length - 1).waitFor();
  assert.equal(await page.getByTestId("gift-card").count(), refined.listings.length);
  await shoot(page, "refined");

  await page.getByRole("link", { name: "Zapisane" }).first().click();
  await page.getByRole("heading", { level: 3, name: title }).first().waitFor();

  // English from here on.
  await page.getByRole("link", { name: "English" }).click();
  await page.waitForFunction(() => document.documentElement.lang === "en" && document.documentElement.dataset.app === "ready");
  await page.goto(`${baseUrl}/chat/${chatId}`);
  await page.getByRole("heading", { level: 1, name: "Gift ideas" }).waitFor();
  await page.getByTestId("results-count").filter({ hasText: /^\d+ gifts?$/ }).waitFor();
  assert.match(await page.getByTestId("price").first().textContent(), /^PLN\s\d/);
  await page.getByTestId("rated").filter({ hasText: "Very good" }).waitFor();
  // The results on a phone: picture beside the text, the refine buttons under it.
  const desktop = page.viewportSize();
  await page.setViewportSize({ width: 375, height: 740 });
  await page.getByTestId("gift-card").first().getByRole("button", { name: /^More like this: / }).waitFor();
  await shoot(page, "results-en-mobile");
  await page.setViewportSize(desktop);
  await page.getByRole("link", { name: "New search" }).click();
  await page.getByRole("heading", { level: 1, name: "Find the perfect gift" }).waitFor();
  await page.getByRole("radio", { name: "Christmas" }).waitFor();
  await shoot(page, "start-en");
  return { answerToGift };
}
