// Network conditions and the bytes a page costs, through the DevTools protocol.

/** DevTools' "Fast 3G": 562.5 ms latency, 180 KB/s down, 84 KB/s up. */
export const FAST_3G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: 180 * 1024,
  uploadThroughput: 84 * 1024,
};

const IMAGE = /\.(svg|png|jpe?g|gif|webp|avif|ico)(\?|$)/i;

/**
 * Throttles the page's network to `conditions` with the browser cache disabled, and starts
 * counting what each response costs on the wire. `transferred()` returns the totals by
 * resource type (`Document`, `Script`, `Stylesheet`, …) and the list of requests.
 */
export async function throttle(page, conditions = FAST_3G) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", conditions);
  const requests = new Map();
  cdp.on("Network.requestWillBeSent", ({ requestId, request, type }) => {
    requests.set(requestId, { url: request.url, type: type ?? "Other", bytes: 0, done: false });
  });
  cdp.on("Network.responseReceived", ({ requestId, type }) => {
    const entry = requests.get(requestId);
    if (entry && type) entry.type = type;
  });
  cdp.on("Network.loadingFinished", ({ requestId, encodedDataLength }) => {
    const entry = requests.get(requestId);
    if (entry) Object.assign(entry, { bytes: encodedDataLength, done: true });
  });
  return {
    cdp,
    transferred({ exceptTypes = ["Image"] } = {}) {
      const counted = [...requests.values()].filter(
        (r) => r.done && !exceptTypes.includes(r.type) && !(exceptTypes.includes("Image") && IMAGE.test(r.url)),
      );
      const byType = {};
      for (const r of counted) byType[r.type] = (byType[r.type] ?? 0) + r.bytes;
      const total = counted.reduce((sum, r) => sum + r.bytes, 0);
      return { total, byType, requests: counted };
    },
  };
}
