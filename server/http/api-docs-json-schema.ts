import { z } from "zod";

/** A JSON Schema as the documents embed it. */
export type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema of a contract schema, as clients send or read it: input
 * types (a query's digits are strings), unknown fields allowed (the
 * contract grows by adding fields), and refinements the format cannot say
 * (character counts in code points) left to the descriptions.
 */
export function jsonSchemaOf(schema: z.ZodType, target: "draft-7" | "draft-2020-12"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target,
    io: "input",
    unrepresentable: "any",
  }) as JsonSchema;
  return rest;
}
