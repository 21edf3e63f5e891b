// Who is signed in. Loaded once at start and after sign-in/out; views read `currentUser()`.

import { api, ApiError } from "/assets/js/api.js";

let user = null;
const listeners = new Set();

/** The signed-in user (`UserInfo`) or null. */
export function currentUser() {
  return user;
}

/** Asks the server who is signed in (null when nobody is). */
export async function loadUser() {
  try {
    setUser(await api.get("/auth/me"));
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    setUser(null);
  }
  return user;
}

export function setUser(next) {
  user = next ?? null;
  for (const listener of listeners) listener(user);
}

/** Calls `listener(user)` whenever the signed-in user changes. */
export function onUserChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function signInAsGuest() {
  const { user: guest } = await api.post("/auth/guest");
  setUser(guest);
  return guest;
}

export async function signOut() {
  try {
    await api.post("/auth/logout");
  } finally {
    setUser(null);
  }
}

/** A name to greet the user with, or null for a guest without one. */
export function displayName(info = user) {
  return info?.givenName || info?.name || info?.email || null;
}
