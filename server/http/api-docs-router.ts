import { Router } from "express";
import { NAMESPACE_SCHEMAS } from "../../contract/event-schemas.js";
import { asyncApiDocument, type DocumentInfo } from "./api-docs-asyncapi.js";
import { API_ROUTES, openApiDocument } from "./api-docs-openapi.js";

const INFO: DocumentInfo = {
  title: "matchday",
  version: "1.1.0",
  description: "Live match scores and chat rooms: the wire contract of docs/protocol.md.",
};

/** Both documents, generated from the contract's schemas. */
export function apiDocuments() {
  return {
    asyncapi: asyncApiDocument(NAMESPACE_SCHEMAS, INFO),
    openapi: openApiDocument(API_ROUTES, INFO),
  };
}

/**
 * `/asyncapi.json` and `/openapi.json`, generated once when the server
 * starts from the contract's schemas, so they never drift from what the
 * server checks.
 */
export function apiDocsRouter(): Router {
  const { asyncapi, openapi } = apiDocuments();
  const router = Router();
  router.get("/asyncapi.json", (_req, res) => void res.json(asyncapi));
  router.get("/openapi.json", (_req, res) => void res.json(openapi));
  return router;
}
