import { Option } from "commander";
import { Chat, Connection } from "../../client/index.js";
import { JWT_SHAPE } from "../../contract/index.js";
import { whenLive } from "../connect.js";
import { EXIT } from "../exit-codes.js";
import { CliError } from "../failure.js";
import type { Settings } from "../settings.js";

/** `--token`: a moderator token or a JWT with role moderator; from the environment, out of `ps`. */
export const moderatorTokenOption = () =>
  new Option("--token <token>", "moderator token, or a JWT with role moderator").env(
    "MATCHDAY_TOKEN",
  );

/** Runs `act` on a live `/chat` connection carrying the moderator's credential, then closes it. */
export async function asModerator(
  token: string | undefined,
  { url, connectTimeoutMs }: Settings,
  act: (chat: Chat) => Promise<void>,
): Promise<void> {
  if (!token) {
    throw new CliError(
      EXIT.denied,
      "unauthorized",
      "moderating needs a token: set MATCHDAY_TOKEN or pass --token",
    );
  }
  const connection = new Connection(url, JWT_SHAPE.test(token) ? { jwt: token } : { token });
  try {
    const chat = new Chat(connection);
    await whenLive(connection, connectTimeoutMs);
    await act(chat);
  } finally {
    connection.close();
  }
}
