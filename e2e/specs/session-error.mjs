// When a search stops, the person reads why and has a way on: a request the interviewer
// refuses (asking for a weapon), and a search that fails after the interview.

import assert from "node:assert/strict";

async function signInAndStart(page, baseUrl, { min, max }) {
  await page.context().addCookies([{ name: "pf_lang", value: "pl", url: baseUrl }]);
  await page.goto(`${baseUrl}/login?next=%2Fstart`);
  await page.getByRole("button", { name: "Kontynuuj jako gość" }).click();
  await page.getByRole("radio", { name: "Rocznica" }).check();
  await page.getByLabel("Od (zł)").fill(String(min));
  await page.getByLabel("Do (zł)").fill(String(max));
  await page.getByRole("button", { name: "Znajdź pomysły na prezenty" }).click();
  await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
  return page.url().split("/").pop();
}

export async function refusedRequest({ page, baseUrl, check, shoot }) {
  await signInAndStart(page, baseUrl, { min: 40, max: 90 });
  await page.getByRole("button", { name: "Inna odpowiedź…" }).click();
  const input = page.getByRole("textbox", { name: "Twoja odpowiedź" });
  await input.fill("Chcę kupić mu pistolet i amunicję");
  await input.press("Enter");

  const refused = page.getByTestId("refused");
  await refused.filter({ hasText: "Nie mogę pomóc w znalezieniu broni" }).waitFor();
  await page.getByRole("heading", { level: 1, name: "Nie możemy pomóc w tym wyszukiwaniu" }).waitFor();
  await check(page, "refused");
  await shoot(page, "refused");

  // A reload shows the same reason, not an interview stuck "thinking".
  await page.reload();
  await refused.filter({ hasText: "Nie mogę pomóc w znalezieniu broni" }).waitFor();
  assert.equal(await page.getByTestId("answer-area").count(), 0);

  // The way back: a new search with the same inputs.
  await page.getByRole("link", { name: "Nowe wyszukiwanie" }).first().click();
  await page.waitForURL(/\/start\?/);
  assert.ok(await page.getByRole("radio", { name: "Rocznica" }).isChecked());
  assert.equal(await page.getByLabel("Od (zł)").inputValue(), "40");
  assert.equal(await page.getByLabel("Do (zł)").inputValue(), "90");
}

/** The server's answers for a search that failed after the interview. */
async function failSearch(page, chatId) {
  await page.route(`**/chats/${chatId}`, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, json: { ...(await response.json()), status: "failed" } });
  });
  const event = { stage: "searching", reason: "Żaden sklep nie odpowiedział na czas.", retryable: true };
  await page.route(`**/sse?clientId=${chatId}*`, (route) =>
    route.fulfill({ status: 200, headers: { "content-type": "text/event-stream" }, body: `retry: 600000\n\nid: 90\nevent: session-error\ndata: ${JSON.stringify(event)}\n\n` }),
  );
}

export async function failedSearch({ page, baseUrl, check, shoot }) {
  const chatId = await signInAndStart(page, baseUrl, { min: 30, max: 120 });
  await page.getByTestId("assistant-message").first().waitFor();
  await failSearch(page, chatId);
  await page.reload();
  const stopped = page.getByTestId("session-error");
  await stopped.filter({ hasText: "Żaden sklep nie odpowiedział na czas." }).waitFor();
  await page.getByRole("heading", { level: 1, name: "Wyszukiwanie nie powiodło się" }).waitFor();
  await check(page, "session-error");
  await shoot(page, "session-error");
  await page.getByRole("link", { name: "Spróbuj ponownie" }).click();
  await page.waitForURL(/\/start\?/);
  assert.ok(await page.getByRole("radio", { name: "Rocznica" }).isChecked());
  assert.equal(await page.getByLabel("Od (zł)").inputValue(), "30");
  assert.equal(await page.getByLabel("Do (zł)").inputValue(), "120");
}

/**
 * A refusal also fails the session, and the two are recorded by different consumers: the
 * failure can reach the browser first. The refusal, which says why, still replaces it.
 */
export async function refusalAfterTheFailure({ page, baseUrl }) {
  const chatId = await signInAndStart(page, baseUrl, { min: 40, max: 90 });
  await page.getByTestId("assistant-message").first().waitFor();
  const reason = "Nie mogę pomóc w znalezieniu broni.";
  const failure = { stage: "interview", reason, retryable: false };
  const refusal = { type: "chat-inappropriate-request", reason };
  await page.route(`**/sse?clientId=${chatId}*`, (route) =>
    route.fulfill({
      status: 200,
      headers: { "content-type": "text/event-stream" },
      body:
        `retry: 600000\n\nid: 90\nevent: session-error\ndata: ${JSON.stringify(failure)}\n\n` +
        `id: 91\nevent: ui-update\ndata: ${JSON.stringify(refusal)}\n\n`,
    }),
  );
  await page.reload();
  await page.getByTestId("refused").filter({ hasText: reason }).waitFor();
  await page.getByRole("heading", { level: 1, name: "Nie możemy pomóc w tym wyszukiwaniu" }).waitFor();
  assert.equal(await page.getByTestId("session-error").count(), 0);
}
