import {
  MATCH_ID_PATTERN,
  type Match,
  type MatchStatus,
  type MatchUpdate,
} from "../../contract/index.js";
import { Connection } from "../connection.js";
import { MatchdayError } from "../matchday-error.js";
import { publish } from "../publisher.js";
import { ScoresFeed } from "../scores-feed.js";
import { h } from "../ui/h.js";
import { showStatus } from "../ui/status-line.js";
import { MATCH_ATTRIBUTE, mountMatchWidget } from "../widget/match-widget.js";
import { byId } from "./dom.js";
import { storedUserId } from "./stored-identity.js";

/** The token lives in this tab at most (sessionStorage), and never in a URL. */
const TOKEN_KEY = "matchday:publishToken";

type Side = "home" | "away";

/** One side's fields: team name, score, and a one-click goal. */
function teamFieldset(side: Side): HTMLFieldSetElement {
  return h(
    "fieldset",
    {},
    h("legend", {}, side === "home" ? "Home" : "Away"),
    h("label", { for: `${side}-name` }, "Team"),
    h("input", { id: `${side}-name`, maxlength: "64", autocomplete: "off" }),
    h("label", { for: `${side}-score` }, "Score"),
    h("input", { id: `${side}-score`, type: "number", min: "0", step: "1", inputmode: "numeric" }),
    h("button", { type: "button", id: `${side}-goal` }, "Goal +1"),
  );
}

const input = <T extends HTMLElement = HTMLInputElement>(id: string) => byId<T>(id);
const tokenState = byId("token-state");
const publishState = byId("publish-state");

/** A publisher's session: its connection, and the match the form is about. */
class PublisherSession {
  private readonly feed: ScoresFeed;
  private current: Match | undefined;
  private matchId = "";

  constructor(private readonly connection: Connection) {
    this.feed = new ScoresFeed(connection);
  }

  /** Shows `id` in the form and the preview, following its live state. */
  async load(id: string): Promise<void> {
    if (id === this.matchId) return;
    if (this.matchId) await this.feed.unfollow([this.matchId]).catch(() => undefined);
    this.matchId = id;
    this.current = undefined;
    const host = h("div", { [MATCH_ATTRIBUTE]: id });
    byId("preview-host").replaceChildren(host);
    byId("preview").hidden = false;
    mountMatchWidget(host, this.connection, this.feed, { status: false });
    await this.feed.follow([id], (match) => {
      const first = !this.current;
      this.current = match;
      if (first) fill(match);
    });
  }

  /** Publishes `update` against the version the form was based on. */
  async publish(update: Omit<MatchUpdate, "expectedVersion">): Promise<void> {
    const expectedVersion = this.current?.version ?? 0;
    publishState.textContent = "Publishing…";
    try {
      const match = await publish(this.connection, { ...update, expectedVersion });
      publishState.textContent = `Published: version ${match.version}.`;
    } catch (err) {
      const latest = this.current;
      if (err instanceof MatchdayError && err.code === "conflict" && latest) fill(latest);
      publishState.textContent =
        err instanceof MatchdayError && err.code === "conflict"
          ? "Someone else changed this match meanwhile. The form shows the latest state now."
          : `Not published: ${(err as Error).message}`;
    }
  }

  goal(side: Side): Promise<void> {
    const match = this.current;
    if (!match) return Promise.resolve();
    return this.publish({ id: match.id, [side]: { score: match[side].score + 1 } });
  }
}

function fill(match: Match): void {
  input("home-name").value = match.home.name;
  input("home-score").value = String(match.home.score);
  input("away-name").value = match.away.name;
  input("away-score").value = String(match.away.score);
  input<HTMLSelectElement>("status").value = match.status;
  input("minute").value = match.minute === null ? "" : String(match.minute);
}

/** The form as a partial update: empty fields are left as they are. */
function formUpdate(id: string): Omit<MatchUpdate, "expectedVersion"> {
  const team = (side: Side) => {
    const name = input(`${side}-name`).value.trim();
    const score = input(`${side}-score`).value;
    return { ...(name ? { name } : {}), ...(score ? { score: Number(score) } : {}) };
  };
  const minute = input("minute").value;
  return {
    id,
    home: team("home"),
    away: team("away"),
    status: input<HTMLSelectElement>("status").value as MatchStatus,
    minute: minute === "" ? null : Number(minute),
  };
}

async function signIn(token: string, remember: boolean): Promise<void> {
  tokenState.textContent = "Connecting…";
  const connection = new Connection(location.origin, { token, userId: storedUserId() });
  try {
    connection.scores();
    await connection.ready();
  } catch (err) {
    connection.close();
    sessionStorage.removeItem(TOKEN_KEY);
    tokenState.textContent =
      err instanceof MatchdayError && err.code === "unauthorized"
        ? "That token was refused."
        : `Could not connect: ${(err as Error).message}`;
    return;
  }
  if (remember) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
  tokenState.textContent = "";
  byId("token-form").hidden = true;
  byId("match-form").hidden = false;
  showStatus(connection, byId("connection"));
  wire(new PublisherSession(connection));
}

function wire(session: PublisherSession): void {
  const matchId = input("match-id");
  const load = () => {
    if (MATCH_ID_PATTERN.test(matchId.value)) void session.load(matchId.value);
  };
  matchId.addEventListener("change", load);
  load();
  byId("match-form").addEventListener("submit", (event) => {
    event.preventDefault();
    load();
    void session.publish(formUpdate(matchId.value));
  });
  for (const side of ["home", "away"] as const) {
    byId(`${side}-goal`).addEventListener("click", () => void session.goal(side));
  }
}

byId("teams").append(teamFieldset("home"), teamFieldset("away"));
byId("token-form").addEventListener("submit", (event) => {
  event.preventDefault();
  void signIn(input("token").value, input("remember").checked);
});
const kept = sessionStorage.getItem(TOKEN_KEY);
if (kept) void signIn(kept, true);
