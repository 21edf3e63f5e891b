// The account side, as a person clicks it after a search has finished: History lists the
// search and renames it, its results lead to a favourite that Saved shows (with a filter
// and an undo), the saved recipient profile is shown and cannot take a name already used,
// the data export is a JSON file holding the search, the search is deleted after a
// confirmation, then the account. Plus: a non-admin gets "no access" on /admin and a 403
// from the API. Every screen is scanned with axe and photographed.

import assert from "node:assert/strict";
import fs from "node:fs/promises";

/** A finished search made through the API, answering as the interview asks. */
async function finishedSearch(request, baseUrl, personName) {
  const headers = { origin: baseUrl };
  const chatId = crypto.randomUUID();
  const started = await request.post(`${baseUrl}/restapi/stalking-request`, {
    headers,
    data: { chatId, occasion: "birthday", minPrice: 50, maxPrice: 300, locale: "pl" },
  });
  assert.equal(started.status(), 201, await started.text());
  const answered = new Set();
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const chat = await (await request.get(`${baseUrl}/chats/${chatId}`)).json();
    if (chat.status === "ready") return chat;
    assert.notEqual(chat.status, "failed", "the search failed");
    const { messages } = await (await request.get(`${baseUrl}/messages/chat/${chatId}`)).json();
    const question = messages.at(-1);
    if (chat.status === "interview" && question?.role !== "user" && question?.proposedAnswers && !answered.has(question.id)) {
      answered.add(question.id);
      const offered = question.proposedAnswers;
      // The one free-text question of the embedded interview is the saved profile's name.
      const content = offered.type === "select" ? offered.answers[0].answerFullSentence : personName;
      const sent = await request.post(`${baseUrl}/restapi/send-message`, {
        headers,
        data: { chatId, messages: [{ id: crypto.randomUUID(), content, sender: "user" }] },
      });
      assert.equal(sent.status(), 201, await sent.text());
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the search ${chatId} did not finish within a minute`);
}

/** Waits until the app has booted and the screen has loaded its data. */
async function settled(page) {
  await page.waitForFunction(
    () => document.documentElement.dataset.app === "ready" && !document.querySelector("#main [aria-busy=true], #main .state-loading"),
  );
}

async function visit(page, baseUrl, path) {
  await page.goto(`${baseUrl}${path}`);
  await settled(page);
}

export async function account({ page, baseUrl, check, shoot }) {
  const request = page.context().request;
  await page.context().addCookies([{ name: "pf_lang", value: "pl", url: baseUrl }]);

  // Sign in as a guest on the way to History, which is empty at first.
  await page.goto(`${baseUrl}/history`);
  await page.waitForURL(/\/login\?next=%2Fhistory/);
  await page.getByRole("button", { name: "Kontynuuj jako gość" }).click();
  await page.waitForURL(/\/history$/);
  await settled(page);
  await page.getByRole("heading", { level: 2, name: "Nie masz jeszcze żadnych wyszukiwań" }).waitFor();
  await page.getByRole("link", { name: "Zacznij pierwsze wyszukiwanie" }).waitFor();
  await check(page, "history-empty");
  await shoot(page, "history-empty");

  // A finished search appears in History with its state and gift count; rename it.
  const chat = await finishedSearch(request, baseUrl, "Ania");
  await page.reload();
  await settled(page);
  const item = page.locator(`[data-testid=history-item][data-chat-id="${chat.chatId}"]`);
  await item.getByRole("heading", { level: 2, name: chat.chatName }).waitFor();
  assert.equal(await item.getByTestId("history-status").textContent(), "Gotowe");
  assert.match(await item.getByTestId("history-count").textContent(), /^\d+ prezent(y|ów)?$/);
  await check(page, "history");
  await shoot(page, "history");
  await item.getByRole("button", { name: "Zmień nazwę" }).click();
  await item.getByLabel("Nowa nazwa wyszukiwania").fill("Prezent dla Ani");
  await item.getByRole("button", { name: "Zapisz" }).click();
  await item.getByRole("heading", { level: 2, name: "Prezent dla Ani" }).waitFor();

  // Why these gifts: the recipient profile with humane labels, in a dialog.
  await item.getByRole("button", { name: "Dlaczego te prezenty?" }).click();
  const reasoning = page.getByRole("dialog", { name: "Dlaczego te prezenty? — Prezent dla Ani" });
  await reasoning.getByRole("heading", { name: "Najważniejsze tematy" }).waitFor();
  await reasoning.getByText("Kim jest dla Ciebie").waitFor();
  assert.equal(await reasoning.getByText("personalInfoDescription").count(), 0);
  await check(page, "history-reasoning");
  await shoot(page, "history-reasoning");
  await reasoning.getByRole("button", { name: "Zamknij" }).click();

  // The new name is the server's: it survives a reload.
  await page.reload();
  await settled(page);
  await item.getByRole("heading", { level: 2, name: "Prezent dla Ani" }).waitFor();

  // Open the results and save the first gift.
  await item.getByRole("link", { name: "Zobacz wyniki" }).click();
  await page.waitForURL(`**/chat/${chat.chatId}`);
  const firstCard = page.getByTestId("gift-card").first();
  const savedTitle = (await firstCard.getByRole("heading").textContent()).trim();
  await firstCard.getByTestId("favourite").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=gift-card] [data-testid=favourite]")?.getAttribute("aria-pressed") === "true");

  // Saved shows it, with a link back to the search; the filter lives in the address.
  await page.getByRole("navigation").getByRole("link", { name: "Zapisane" }).click();
  await page.waitForURL(/\/saved$/);
  await settled(page);
  const savedCards = page.getByTestId("saved-grid").getByTestId("gift-card");
  await savedCards.first().waitFor();
  assert.equal(await savedCards.count(), 1);
  assert.equal((await savedCards.first().getByRole("heading").textContent()).trim(), savedTitle);
  await page.getByRole("link", { name: "Z wyszukiwania: Prezent dla Ani" }).waitFor();
  await check(page, "saved");
  await shoot(page, "saved");
  await page.getByLabel("Szukaj wśród zapisanych").fill("nie ma takiego prezentu");
  await page.getByTestId("no-match").waitFor();
  assert.match(page.url(), /[?&]q=nie\+ma\+takiego\+prezentu/);
  await page.getByRole("button", { name: "Wyczyść wyszukiwanie" }).click();
  await savedCards.first().waitFor();

  // Un-saving removes the card; Undo brings it back, on the server too.
  await savedCards.first().getByTestId("favourite").click();
  await page.getByTestId("undo-bar").waitFor();
  assert.equal(await savedCards.count(), 0);
  await page.getByRole("button", { name: "Cofnij" }).click();
  await savedCards.first().waitFor();
  await page.reload();
  await settled(page);
  assert.equal(await savedCards.count(), 1);

  // Profiles: the profile the interview saved; a name already used is refused next to the field.
  await finishedSearch(request, baseUrl, "Ola");
  await page.getByRole("navigation").getByRole("link", { name: "Profile" }).click();
  await page.waitForURL(/\/profiles$/);
  await settled(page);
  const ania = page.getByTestId("profile-card").filter({ has: page.getByRole("heading", { level: 2, name: "Ania" }) });
  const profile = page.locator(`[data-profile-id="${await ania.getAttribute("data-profile-id")}"]`);
  await profile.getByTestId("key-themes").waitFor();
  await profile.getByRole("link", { name: "Szukaj prezentu dla tej osoby" }).waitFor();
  await check(page, "profiles");
  await shoot(page, "profiles");
  await profile.getByRole("button", { name: "Zmień nazwę" }).click();
  const nameField = profile.getByLabel("Nowa nazwa profilu");
  await nameField.fill("Ola");
  await profile.getByRole("button", { name: "Zapisz" }).click();
  await profile.getByText("Masz już profil o tej nazwie. Wybierz inną.").waitFor();
  assert.equal(await nameField.getAttribute("aria-invalid"), "true");
  await nameField.press("Escape");
  await page.getByLabel("Szukaj wśród profili").fill("ola");
  await page.getByTestId("profiles-count").filter({ hasText: "Pasuje 1 z 2 profili" }).waitFor();

  // Account: export my data as a JSON file that holds the search.
  await page.getByRole("navigation").getByRole("link", { name: "Gość" }).click();
  await page.waitForURL(/\/account$/);
  await settled(page);
  await page.getByTestId("guest-notice").waitFor();
  await check(page, "account");
  await shoot(page, "account");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Pobierz moje dane" }).click()]);
  assert.match(download.suggestedFilename(), /^present-finder-export-\d{4}-\d{2}-\d{2}\.json$/);
  const exported = JSON.parse(await fs.readFile(await download.path(), "utf8"));
  assert.ok(exported.chats.some((one) => one.chatId === chat.chatId || one.id === chat.chatId), "the export holds the search");

  // Delete the search from History after a confirmation: it disappears.
  await page.getByRole("navigation").getByRole("link", { name: "Historia" }).click();
  await settled(page);
  await item.getByRole("button", { name: "Usuń" }).click();
  const confirmDelete = page.getByRole("dialog", { name: "Usunąć to wyszukiwanie?" });
  await confirmDelete.getByText("„Prezent dla Ani”").waitFor();
  await confirmDelete.getByRole("button", { name: "Usuń wyszukiwanie" }).click();
  await item.waitFor({ state: "detached" });
  assert.equal((await request.get(`${baseUrl}/chats/${chat.chatId}`)).status(), 404);

  // Delete the account: the confirmation says what is erased; afterwards nobody is signed in.
  await visit(page, baseUrl, "/account");
  await page.getByRole("button", { name: "Usuń moje konto" }).click();
  const confirmAccount = page.getByRole("dialog", { name: "Usunąć konto na zawsze?" });
  await confirmAccount.getByText("wszystkie wyszukiwania i rozmowy,").waitFor();
  await check(page, "account-delete");
  await shoot(page, "account-delete");
  await confirmAccount.getByRole("button", { name: "Tak, usuń konto" }).click();
  await page.waitForURL(`${baseUrl}/`);
  // The landing page's boot finds the session gone and clears its cookies: only then may
  // the next guest's cookies be set, or that clearing could land after them.
  await settled(page);
  assert.equal((await request.get(`${baseUrl}/auth/me`)).status(), 401);

  // A non-admin opening /admin sees "no access"; the API refuses with 403 whatever the page does.
  const guest = await request.post(`${baseUrl}/auth/guest`, { headers: { origin: baseUrl } });
  assert.equal(guest.status(), 201);
  await visit(page, baseUrl, "/admin");
  await page.getByRole("heading", { level: 1, name: "Brak dostępu" }).waitFor();
  await check(page, "admin-no-access");
  await shoot(page, "admin-no-access");
  assert.equal((await request.get(`${baseUrl}/feedback?page=1&pageSize=20`)).status(), 403);
  return { chatId: chat.chatId };
}
