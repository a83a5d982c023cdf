import { Router } from "express";
import { HISTORY_LIMIT_DEFAULT, type MessagePage } from "../../contract/index.js";
import { roomName } from "../realtime/fields.js";
import { parseOrReject } from "../realtime/payload.js";
import type { ChatService } from "./chat-service.js";
import { historyQuery } from "./schemas.js";

/** `/api/rooms/:room/messages`: a room's history over HTTP. */
export function roomsRouter(chat: ChatService): Router {
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
  return router;
}
