import type { Ack, JoinResult, Match } from "../../contract/index.js";

/** What a viewer follows, serializable so it can travel to load workers over IPC. */
export type SubscriptionSpec =
  | { kind: "scores"; matchId: string }
  /**
   * Every match (`subscribe_all`), tracking the versions of `matchId`: every
   * `match` event counts as one of it, so no other match may change meanwhile.
   */
  | { kind: "all-scores"; matchId: string }
  | { kind: "chat"; room: string };

export type SubscriptionKind = SubscriptionSpec["kind"];

/**
 * How a viewer asks for a stream and where it stands in it: the request it
 * sends on every (re)connect given the position it holds, and the positions
 * the answer carries. Scores positions are match versions (latest wins);
 * chat positions are room seqs (every one, in order).
 */
export interface Subscription {
  /** The event that carries new positions. */
  readonly event: string;
  /** The JSON field of that event holding the position, with its quotes and colon. */
  readonly field: string;
  /** Whether every position must arrive, in order (chat), or only newer ones (scores). */
  readonly contiguous: boolean;
  request(held: number): { event: string; payload: object };
  /** Positions an ack brings, ascending. */
  positionsIn(ack: unknown): number[];
}

export function subscriptionFor(spec: SubscriptionSpec): Subscription {
  switch (spec.kind) {
    case "scores": {
      const id = spec.matchId;
      return scoresSubscription(id, (held) => ({
        event: "subscribe",
        payload: held > 0 ? { ids: [id], versions: { [id]: held } } : { ids: [id] },
      }));
    }
    case "all-scores": {
      const id = spec.matchId;
      return scoresSubscription(id, (held) => ({
        event: "subscribe_all",
        payload: held > 0 ? { versions: { [id]: held } } : {},
      }));
    }
    case "chat": {
      const room = spec.room;
      return {
        event: "message",
        field: '"seq":',
        contiguous: true,
        request: (held) => ({
          event: "join",
          payload: held > 0 ? { room, since: held } : { room },
        }),
        positionsIn: (ack) => okBody<JoinResult>(ack).history.map((message) => message.seq),
      };
    }
  }
}

/** Versions of match `id`, asked for by `request`; other matches an answer holds are ignored. */
function scoresSubscription(id: string, request: Subscription["request"]): Subscription {
  return {
    event: "match",
    field: '"version":',
    contiguous: false,
    request,
    positionsIn: (ack) =>
      okBody<{ matches: Match[] }>(ack)
        .matches.filter((match) => match.id === id)
        .map((match) => match.version),
  };
}

/** The body of a successful ack, or an error naming the refusal. */
export function okBody<T extends object>(ack: unknown): T {
  const answer = ack as Ack<T> | undefined;
  if (answer?.ok !== true) {
    throw new Error(`refused: ${answer?.error?.code ?? "?"} (${answer?.error?.message ?? ""})`);
  }
  return answer;
}
