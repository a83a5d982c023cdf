import { MATCH_ID_PATTERN, type RoomName } from "../../contract/index.js";
import { Chat } from "../chat.js";
import type { ChatRoom } from "../chat-room.js";
import { Connection } from "../connection.js";
import { ScoresFeed } from "../scores-feed.js";
import { h } from "../ui/h.js";
import { MUTE_MINUTES } from "../ui/moderation-controls.js";
import { offerModeratorSignIn } from "../ui/moderator-sign-in.js";
import { showStatus } from "../ui/status-line.js";
import { MATCH_ATTRIBUTE, mountMatchWidget } from "../widget/match-widget.js";
import { ChatView, timeOfDay } from "./chat-view.js";
import { byId } from "./dom.js";
import { sendErrorText } from "./send-errors.js";
import { storedName, storedUserId, storeName } from "./stored-identity.js";

/** One match: its live score and its chat room, `match:<id>`. */
const id = new URLSearchParams(location.search).get("id") ?? "";
const title = byId("title");
const notice = byId("notice");
const name = storedName();
const connection = new Connection(location.origin, {
  userId: storedUserId(),
  ...(name ? { name } : {}),
});
showStatus(connection, byId("connection"));

function showScore(): void {
  const feed = new ScoresFeed(connection);
  const host = h("div", { [MATCH_ATTRIBUTE]: id });
  byId("scoreboard").append(host);
  mountMatchWidget(host, connection, feed, { status: false });
  void feed.follow([id], (match) => {
    title.textContent = `${match.home.name} v ${match.away.name}`;
    document.title = `${match.home.name} v ${match.away.name} · matchday`;
  });
}

function showChat(room: RoomName, view: ChatView): ChatRoom {
  const online = byId("online");
  return new Chat(connection).join(room, {
    onMessage: (message) => view.add(message),
    onDeleted: (seq) => view.remove(seq),
    onPresence: (count) => (online.textContent = `${count} online`),
    onTruncated: () => (notice.textContent = "Some earlier messages are no longer available."),
    onError: (err) => (notice.textContent = `The chat is unavailable: ${err.message}`),
  });
}

/** Reading needs no name; writing does, and the name travels in the handshake. */
function enableWriting(room: ChatRoom): void {
  const nameForm = byId<HTMLFormElement>("name-form");
  const sendForm = byId<HTMLFormElement>("send-form");
  const text = byId<HTMLInputElement>("text");
  const state = byId("send-state");
  const startWriting = () => {
    nameForm.hidden = true;
    sendForm.hidden = false;
    byId("me").textContent = `Writing as ${connection.auth.name}`;
  };
  byId<HTMLInputElement>("name").value = name;
  if (name) startWriting();
  nameForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = byId<HTMLInputElement>("name").value.trim();
    if (!chosen) return;
    storeName(chosen);
    connection.rename(chosen);
    startWriting();
    text.focus();
  });
  const send = async () => {
    const button = sendForm.querySelector("button")!;
    button.disabled = true;
    state.dataset.state = "sending";
    state.textContent = "Sending…";
    try {
      await room.send(text.value);
      text.value = "";
      state.dataset.state = "sent";
      state.textContent = "";
    } catch (err) {
      state.dataset.state = "failed";
      state.textContent = sendErrorText(err);
    } finally {
      button.disabled = false;
      text.focus();
    }
  };
  sendForm.addEventListener("submit", (event) => {
    event.preventDefault();
    void send();
  });
}

/** With a moderator token: delete and mute from the message list, through the library. */
function enableModeration(room: RoomName, view: ChatView): void {
  const state = byId("moderation-state");
  const failed = (what: string) => (err: unknown) =>
    (state.textContent = `${what}: ${(err as Error).message}`);
  const elements = {
    panel: byId("moderate"),
    form: byId<HTMLFormElement>("moderator-form"),
    token: byId<HTMLInputElement>("moderator-token"),
    remember: byId<HTMLInputElement>("moderator-remember"),
    state,
  };
  offerModeratorSignIn(elements, connection.auth.userId, (chat) => {
    state.textContent = "You are moderating this chat.";
    view.moderate({
      delete: ({ seq, user }) =>
        void chat
          .deleteMessage(room, seq)
          .then(
            () => (state.textContent = `Deleted a message by ${user.name}.`),
            failed("Not deleted"),
          ),
      mute: ({ user }) =>
        void chat
          .mute(user.id, MUTE_MINUTES, room)
          .then(
            (until) =>
              (state.textContent = `${user.name} is muted here until ${timeOfDay(until)}.`),
            failed("Not muted"),
          ),
    });
  });
}

if (MATCH_ID_PATTERN.test(id)) {
  const room = `match:${id}`;
  const view = new ChatView(byId("messages"), connection.auth.userId);
  showScore();
  enableWriting(showChat(room, view));
  enableModeration(room, view);
} else {
  title.textContent = "No such match";
  notice.textContent = "This address does not name a match. Pick one from the list of matches.";
  byId("name-form").hidden = true;
  byId("moderate").hidden = true;
}
