// A chat's live events. The screen loads its snapshot over REST (which carries the chat's
// `lastEventId`), then follows the stream from that id: no gap, no duplicate. The browser
// reconnects by itself and sends `Last-Event-ID`; events at or below the last one handled are
// ignored, so a replayed event is never applied twice.

const EVENT_NAMES = ["ui-update", "progress", "session-error"];

/**
 * Follows the events of `chatId` after `lastEventId`. `handlers` maps an event name
 * ("ui-update", "progress", "session-error") to `(data, id) => void`; `onConnection(state)`
 * is told "open" or "reconnecting". Returns a function that closes the stream.
 */
export function followChat(chatId, lastEventId, handlers, onConnection = () => {}) {
  let lastSeen = Number(lastEventId) || 0;
  const url = `/sse?clientId=${encodeURIComponent(chatId)}&lastEventId=${lastSeen}`;
  const source = new EventSource(url, { withCredentials: true });

  const dispatch = (name) => (event) => {
    const id = Number(event.lastEventId);
    if (Number.isFinite(id) && id > 0) {
      if (id <= lastSeen) return;
      lastSeen = id;
    }
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    handlers[name]?.(data, id);
  };
  for (const name of EVENT_NAMES) source.addEventListener(name, dispatch(name));
  source.addEventListener("open", () => onConnection("open"));
  source.addEventListener("error", () => onConnection("reconnecting"));
  return () => source.close();
}
