import { z } from "zod";
import { historyQuery, seq } from "../../contract/chat-schemas.js";
import { matchId, roomName } from "../../contract/fields.js";
import type { GrantedRole } from "../../contract/index.js";
import { errorBody, match, message } from "../../contract/model-schemas.js";
import { longPollQuery, putBody } from "../../contract/scores-schemas.js";
import type { DocumentInfo } from "./api-docs-asyncapi.js";
import { jsonSchemaOf, type JsonSchema } from "./api-docs-json-schema.js";

/** One `/api` route, described by the contract's schemas. */
export interface ApiRoute {
  method: "get" | "put" | "delete";
  /** Under `/api`, in express's notation (`/matches/:id`). */
  path: string;
  summary: string;
  params: Record<string, z.ZodType>;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** A bearer token or JWT with this role. */
  role?: GrantedRole;
  /** By status: what it means, and the JSON body when there is one (errors get theirs). */
  responses: Record<number, { description: string; body?: z.ZodType }>;
}

/** `/api`, as `server/scores/matches-router.ts` and `server/chat/rooms-router.ts` serve it. */
export const API_ROUTES: readonly ApiRoute[] = [
  {
    method: "get",
    path: "/matches",
    summary: "Every match.",
    params: {},
    responses: { 200: { description: "The matches", body: z.object({ matches: z.array(match) }) } },
  },
  {
    method: "get",
    path: "/matches/:id",
    summary:
      'A match, with `ETag: "<version>"`; with `after`, a long poll answered once the version passes it.',
    params: { id: matchId },
    query: longPollQuery,
    responses: {
      200: { description: "The match", body: match },
      304: { description: "`If-None-Match` holds the current version, or the long poll ran out" },
      400: { description: "A malformed id, `after` or `wait`" },
      404: { description: "No such match (without `after`)" },
      503: { description: "Storage unavailable" },
    },
  },
  {
    method: "put",
    path: "/matches/:id",
    summary: "Publish: the same operation as the `publish` event.",
    params: { id: matchId },
    body: putBody,
    role: "publisher",
    responses: {
      200: { description: "The stored match", body: match },
      400: { description: "Bad JSON, a schema violation, or an id differing from the URL's" },
      401: { description: "No bearer `Authorization`" },
      403: { description: "A bearer that may not publish" },
      409: { description: "`expectedVersion` differs" },
      413: { description: "A body over 64 KiB" },
      503: { description: "Storage unavailable; retry with `expectedVersion`" },
    },
  },
  {
    method: "get",
    path: "/rooms/:room/messages",
    summary: "A room's history: the last `limit`, or the first `limit` after `since`.",
    params: { room: roomName },
    query: historyQuery,
    responses: {
      200: {
        description: "The messages",
        body: z.object({ messages: z.array(message), truncated: z.literal(true).optional() }),
      },
      400: { description: "A malformed room, `since` or `limit`" },
      503: { description: "Storage unavailable" },
    },
  },
  {
    method: "delete",
    path: "/rooms/:room/messages/:seq",
    summary: "Turn a message into a tombstone: the same operation as the `delete` event.",
    params: { room: roomName, seq },
    role: "moderator",
    responses: {
      204: { description: "Deleted" },
      401: { description: "No bearer `Authorization`" },
      403: { description: "A bearer that may not moderate" },
      404: { description: "A `seq` never posted or no longer retained" },
      503: { description: "Storage unavailable" },
    },
  },
];

/** OpenAPI 3.1's schemas are JSON Schema 2020-12. */
const schema = (zod: z.ZodType): JsonSchema => jsonSchemaOf(zod, "draft-2020-12");

const json = (zod: z.ZodType) => ({ "application/json": { schema: schema(zod) } });

const errorAnswer = z.object({ error: errorBody });

function operation(route: ApiRoute): JsonSchema {
  const parameters = [
    ...Object.entries(route.params).map(([name, zod]) => ({
      name,
      in: "path",
      required: true,
      schema: schema(zod),
    })),
    ...Object.entries(route.query?.shape ?? {}).map(([name, zod]) => ({
      name,
      in: "query",
      required: !zod.safeParse(undefined).success,
      schema: schema(zod),
    })),
  ];
  const responses = Object.fromEntries(
    Object.entries(route.responses).map(([status, answer]) => {
      const body = answer.body ?? (Number(status) >= 400 ? errorAnswer : undefined);
      return [
        status,
        { description: answer.description, ...(body ? { content: json(body) } : {}) },
      ];
    }),
  );
  return {
    summary: route.summary,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body ? { requestBody: { required: true, content: json(route.body) } } : {}),
    ...(route.role
      ? {
          security: [{ bearer: [] }],
          description: `Needs \`Authorization: Bearer\` with a ${route.role} token, or a JWT with role ${route.role}.`,
        }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of `/api`: a pure function of the routes and their schemas. */
export function openApiDocument(routes: readonly ApiRoute[], info: DocumentInfo): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = `/api${route.path.replace(/:(\w+)/g, "{$1}")}`;
    (paths[path] ??= {})[route.method] = operation(route);
  }
  return {
    openapi: "3.1.0",
    info: {
      ...info,
      description: `${info.description}\n\nEvery error is JSON \`{ error: { code, message } }\`.`,
    },
    paths,
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
  };
}
