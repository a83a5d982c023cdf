import { Router } from "express";
import { HISTORY_LIMIT_DEFAULT, type MessagePage } from "../../contract/index.js";
import { digits, roomName } from "../../contract/fields.js";
import { parseOrReject } from "../realtime/payload.js";
import { requireBearer } from "../auth/bearer.js";
import type { Credentials } from "../auth/credentials.js";
import type { ChatService } from "./chat-service.js";
import { historyQuery, seq as seqNumber } from "../../contract/chat-schemas.js";

/** `/api/rooms/:room/messages`: a room's history over HTTP, and a moderator's deletions. */
export function roomsRouter(chat: ChatService, credentials: Credentials): Router {
  const router = Router();
  router.get("/rooms/:room/messages", async (req, res) => {
    const room = parseOrReject(roomName, req.params.room, "room");
    const { since, limit = HISTORY_LIMIT_DEFAULT } = parseOrReject(historyQuery, req.query);
    const page = await chat.history(room, since === undefined ? { limit } : { since, limit });
    const body: MessagePage = page.truncated
      ? { messages: page.messages, truncated: true }
      : { messages: page.messages };
    res.json(body);
  });

  router.delete("/rooms/:room/messages/:seq", async (req, res) => {
    await requireBearer(req, res, credentials, "moderator");
    const room = parseOrReject(roomName, req.params.room, "room");
    const seq = parseOrReject(digits.pipe(seqNumber), req.params.seq, "seq");
    await chat.delete(room, seq);
    res.status(204).end();
  });
  return router;
}
