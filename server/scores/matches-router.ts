import { Router, type Request, type Response } from "express";
import { LONG_POLL_WAIT_DEFAULT_S, type Match, type MatchList } from "../../contract/index.js";
import { AppError } from "../../contract/app-error.js";
import { requireBearer } from "../auth/bearer.js";
import type { Credentials } from "../auth/credentials.js";
import { parseOrReject, parsePayload } from "../realtime/payload.js";
import { matchId } from "../../contract/fields.js";
import { longPollQuery, putBody } from "../../contract/scores-schemas.js";
import type { ScoresService } from "./scores-service.js";

/** Strong ETag of a match: its version. */
const etag = (match: Match) => `"${match.version}"`;

function ifNoneMatch(req: Request, match: Match): boolean {
  const header = req.get("if-none-match");
  if (!header) return false;
  return header
    .split(",")
    .map((tag) => tag.trim().replace(/^W\//, ""))
    .some((tag) => tag === "*" || tag === etag(match));
}

function sendMatch(res: Response, match: Match): void {
  res.set("ETag", etag(match)).json(match);
}

export interface MatchesRouterOptions {
  credentials: Credentials;
  maxPayloadDepth: number;
}

/** `/api/matches`: read, long-poll and publish matches over HTTP. */
export function matchesRouter(scores: ScoresService, options: MatchesRouterOptions): Router {
  const router = Router();

  router.get("/matches", async (_req, res) => {
    const body: MatchList = { matches: await scores.list() };
    res.json(body);
  });

  router.get("/matches/:id", async (req, res) => {
    const id = parseOrReject(matchId, req.params.id, "id");
    const { after, wait } = parseOrReject(longPollQuery, req.query);
    if (after === undefined) {
      const match = await scores.get(id);
      if (ifNoneMatch(req, match)) return void res.set("ETag", etag(match)).status(304).end();
      return sendMatch(res, match);
    }
    const gone = new AbortController();
    res.on("close", () => gone.abort());
    const waitMs = (wait ?? LONG_POLL_WAIT_DEFAULT_S) * 1000;
    const match = await scores.waitForChange(id, after, waitMs, gone.signal);
    if (gone.signal.aborted) return;
    if (match) return sendMatch(res, match);
    res.status(304).end();
  });

  router.put("/matches/:id", async (req, res) => {
    await requireBearer(req, res, options.credentials, "publisher");
    const id = parseOrReject(matchId, req.params.id, "id");
    const body = parsePayload(putBody, req.body, options.maxPayloadDepth);
    if (body.id !== undefined && body.id !== id) {
      throw new AppError("bad_request", `id ${body.id} in the body differs from ${id} in the URL`);
    }
    sendMatch(res, await scores.publish({ ...body, id }));
  });

  return router;
}
