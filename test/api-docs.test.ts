import { Parser } from "@asyncapi/parser";
import { Validator } from "@seriousme/openapi-schema-validator";
import { expect } from "chai";
import { z } from "zod";
import { NAMESPACE_SCHEMAS, type NamespaceSchemas } from "../contract/event-schemas.js";
import { asyncApiDocument } from "../server/http/api-docs-asyncapi.js";
import { API_ROUTES, openApiDocument } from "../server/http/api-docs-openapi.js";
import { call, closeAll, connect } from "./support/clients.js";
import { request } from "./support/http.js";
import { Instance } from "./support/instances.js";

const info = { title: "t", version: "1", description: "d" };

describe("API documents", () => {
  let instance: Instance;
  before(async () => (instance = await Instance.start()));
  after(() => instance.close());
  afterEach(closeAll);

  it("serves an AsyncAPI 3.0 document that the official parser accepts", async () => {
    const { status, body } = await request(`${instance.url}/asyncapi.json`);
    expect(status).to.equal(200);
    const { document, diagnostics } = await new Parser().parse(body);
    expect(diagnostics.filter((d) => d.severity === 0)).to.deep.equal([]);
    expect(document?.version()).to.equal("3.0.0");
  });

  it("serves an OpenAPI 3.1 document that validates", async () => {
    const { status, body } = await request(`${instance.url}/openapi.json`);
    expect(status).to.equal(200);
    const result = await new Validator().validate(body);
    expect(result.errors ?? []).to.deep.equal([]);
    expect(result.valid).to.equal(true);
    expect(body.openapi).to.equal("3.1.0");
  });

  it("describes every event of both namespaces, with payload and ack, and the server knows each", async () => {
    const { body } = await request(`${instance.url}/asyncapi.json`);
    for (const nsp of NAMESPACE_SCHEMAS) {
      const messages = body.channels[nsp.name.slice(1)].messages;
      const socket = await connect(instance.url, nsp.name);
      for (const event of Object.keys(nsp.clientToServer)) {
        expect(messages[event]?.payload, `${nsp.name} ${event}`).to.be.an("object");
        expect(JSON.stringify(messages[`${event}.ack`].payload)).to.include('"ok"');
        // Whatever the payload's fate, the event itself is one the server routes.
        const answer = await call(socket, event, {});
        expect(answer.error?.message ?? "", `${nsp.name} ${event}`).to.not.equal("unknown event");
      }
      for (const event of Object.keys(nsp.serverToClient)) {
        expect(body.operations[`${nsp.name.slice(1)}.${event}`].action).to.equal("send");
      }
      expect(JSON.stringify(messages.connect.payload)).to.include('"jwt"');
    }
    expect(body.channels.scores.messages.subscribe_all).to.be.an("object");
  });

  it("describes every /api route, each of which the server serves", async () => {
    const { body } = await request(`${instance.url}/openapi.json`);
    for (const route of API_ROUTES) {
      const path = `/api${route.path.replace(/:(\w+)/g, "{$1}")}`;
      expect(body.paths[path]?.[route.method], `${route.method} ${path}`).to.be.an("object");
      const concrete = route.path.replace(/:(\w+)/g, (_, name: string) =>
        name === "seq" ? "1" : "x1",
      );
      const answer = await request(`${instance.url}/api${concrete}`, {
        method: route.method.toUpperCase(),
      });
      expect(answer.body?.error?.message, `${route.method} ${concrete}`).to.not.equal(
        "no such API route",
      );
    }
  });

  it("changes with the schemas it is generated from", () => {
    const before = JSON.stringify(asyncApiDocument(NAMESPACE_SCHEMAS, info));
    const [scores, ...rest] = NAMESPACE_SCHEMAS as [NamespaceSchemas, ...NamespaceSchemas[]];
    const changed: NamespaceSchemas = {
      ...scores,
      clientToServer: {
        ...scores.clientToServer,
        subscribe_all: {
          ...scores.clientToServer.subscribe_all,
          payload: z.object({ probeField: z.string() }),
        },
      },
    };
    const after = JSON.stringify(asyncApiDocument([changed, ...rest], info));
    expect(after).to.not.equal(before);
    expect(after).to.include("probeField");
    expect(before).to.not.include("probeField");

    const route = { ...API_ROUTES[0], query: z.object({ probeQuery: z.string() }) };
    const openapi = JSON.stringify(openApiDocument([route], info));
    expect(openapi).to.include("probeQuery");
  });
});
