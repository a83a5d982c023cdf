import { ERROR_CODES } from "../../contract/index.js";
import type { NamespaceSchemas } from "../../contract/event-schemas.js";
import { errorBody, handshakeAuth } from "../../contract/model-schemas.js";
import { z } from "zod";
import { jsonSchemaOf, type JsonSchema } from "./api-docs-json-schema.js";

export interface DocumentInfo {
  title: string;
  version: string;
  description: string;
}

/** AsyncAPI's schemas are JSON Schema draft 7 with extensions. */
const schema = (zod: z.ZodType): JsonSchema => jsonSchemaOf(zod, "draft-7");

/** An acknowledgement: its success fields with `ok: true`, or an error with a contract code. */
const ack = (result: z.ZodType): z.ZodType =>
  z.union([
    z.intersection(z.object({ ok: z.literal(true) }), result),
    z.object({ ok: z.literal(false), error: errorBody }),
  ]);

const ref = (path: string) => ({ $ref: path });

/**
 * The AsyncAPI 3.0 document of the Socket.IO namespaces, from the server's
 * side: it receives each client-to-server event and replies with its ack,
 * and sends each server-to-client event. A pure function of the schemas.
 */
export function asyncApiDocument(
  namespaces: readonly NamespaceSchemas[],
  info: DocumentInfo,
): JsonSchema {
  const channels: JsonSchema = {};
  const operations: JsonSchema = {};
  for (const nsp of namespaces) {
    const channel = nsp.name.slice(1);
    const at = `#/channels/${channel}`;
    const messages: JsonSchema = {
      connect: {
        summary: "The handshake: Socket.IO's CONNECT packet carries `auth`.",
        payload: schema(handshakeAuth),
      },
      connect_error: {
        summary: "A refused handshake: `unauthorized` or `bad_request`.",
        payload: schema(z.object({ message: z.enum(["unauthorized", "bad_request"]) })),
      },
    };
    operations[`${channel}.connect`] = {
      action: "receive",
      channel: ref(at),
      summary: "Open the namespace.",
      messages: [ref(`${at}/messages/connect`)],
      reply: { channel: ref(at), messages: [ref(`${at}/messages/connect_error`)] },
    };
    for (const [event, spec] of Object.entries(nsp.clientToServer)) {
      messages[event] = {
        name: event,
        summary: spec.summary,
        payload: schema(spec.payload),
        ...(spec.role ? { description: `Only sockets with role \`${spec.role}\`.` } : {}),
      };
      messages[`${event}.ack`] = { name: `${event} ack`, payload: schema(ack(spec.result)) };
      operations[`${channel}.${event}`] = {
        action: "receive",
        channel: ref(at),
        summary: spec.summary,
        messages: [ref(`${at}/messages/${event}`)],
        reply: { channel: ref(at), messages: [ref(`${at}/messages/${event}.ack`)] },
      };
    }
    for (const [event, spec] of Object.entries(nsp.serverToClient)) {
      messages[event] = { name: event, summary: spec.summary, payload: schema(spec.payload) };
      operations[`${channel}.${event}`] = {
        action: "send",
        channel: ref(at),
        summary: spec.summary,
        messages: [ref(`${at}/messages/${event}`)],
      };
    }
    channels[channel] = {
      address: nsp.name,
      title: nsp.name,
      description: `${nsp.summary} A Socket.IO namespace: each message is an event whose name is the message's name.`,
      servers: [ref("#/servers/service")],
      messages,
    };
  }
  return {
    asyncapi: "3.0.0",
    info: {
      title: info.title,
      version: info.version,
      description:
        `${info.description}\n\nEvery client-to-server event takes an acknowledgement, answered ` +
        `once within 5 s with \`{ ok: true, ... }\` or \`{ ok: false, error: { code, message } }\`; ` +
        `codes: ${ERROR_CODES.map((code) => `\`${code}\``).join(", ")}.`,
    },
    defaultContentType: "application/json",
    servers: {
      service: {
        host: "localhost:3000",
        pathname: "/socket.io/",
        protocol: "ws",
        description: "Socket.IO v4 (Engine.IO v4), WebSocket and long-polling transports.",
      },
    },
    channels,
    operations,
  };
}
