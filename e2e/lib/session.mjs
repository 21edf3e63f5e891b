// Signing in as a guest, through the API (fast, for tests about other screens) or through
// the sign-in screen as a person would.

/** Signs the page's browser context in as a new guest; the cookies land in the context. */
export async function guestViaApi(context, baseUrl) {
  const response = await context.request.post(`${baseUrl}/auth/guest`, { headers: { origin: baseUrl } });
  if (!response.ok()) {
    throw new Error(`POST /auth/guest answered ${response.status()}: ${await response.text()}`);
  }
  return response.json();
}

/** Signs in as a guest on the sign-in screen, then waits to be sent on from it. */
export async function guestViaUi(page, baseUrl, next = "/start") {
  await page.goto(`${baseUrl}/login?next=${encodeURIComponent(next)}`);
  await page.getByRole("button", { name: /Kontynuuj jako gość|Continue as guest/ }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
}
