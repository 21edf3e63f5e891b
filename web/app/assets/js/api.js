// The public HTTP API, same origin, cookies for auth. An expired access token is refreshed
// once and the same request (method and body) is sent again.

/** An error answer of the API: `status`, `message`, and per-field `details`. */
export class ApiError extends Error {
  constructor(status, message, details = [], retryAfter = null) {
    super(message);
    this.status = status;
    this.details = details;
    /** Seconds to wait before trying again (from `Retry-After` of a 429), or null. */
    this.retryAfter = retryAfter;
  }

  /** The problem reported for `field`, if any. */
  fieldProblem(field) {
    return this.details.find((detail) => detail.field === field)?.problem;
  }
}

let refreshing = null;

/** Sign-in requests answer 401 for a reason a refresh cannot fix; everything else, /auth/me
 * included, is retried once with a refreshed access token. */
const NO_REFRESH = new Set(["/auth/refresh", "/auth/logout", "/auth/guest", "/auth/google/callback"]);

async function send(method, path, body) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  try {
    return await fetch(path, init);
  } catch {
    throw new ApiError(0, "network");
  }
}

function refreshOnce() {
  refreshing ??= send("POST", "/auth/refresh").finally(() => {
    refreshing = null;
  });
  return refreshing;
}

async function decode(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Sends a request and returns the decoded JSON body (null when empty); throws ApiError. */
export async function request(method, path, body) {
  let response = await send(method, path, body);
  if (response.status === 401 && !NO_REFRESH.has(path)) {
    const refreshed = await refreshOnce();
    if (refreshed.ok) response = await send(method, path, body);
  }
  const payload = await decode(response);
  if (!response.ok) {
    const message = (payload && payload.message) || response.statusText || "error";
    const retryAfter = Number.parseInt(response.headers.get("Retry-After") ?? "", 10);
    throw new ApiError(response.status, message, (payload && payload.details) || [], Number.isFinite(retryAfter) ? retryAfter : null);
  }
  return payload;
}

export const api = {
  get: (path) => request("GET", path),
  post: (path, body) => request("POST", path, body ?? {}),
  patch: (path, body) => request("PATCH", path, body),
  del: (path) => request("DELETE", path),
};
