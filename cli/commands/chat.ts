import { Option, type Command } from "commander";
import { Chat, Connection, type ChatRoom } from "../../client/index.js";
import { displayName } from "../arguments.js";
import { LineInput } from "../chat/line-input.js";
import { ChatView } from "../chat/chat-view.js";
import { whenLive } from "../connect.js";
import { CliError, toFailure, type Failure } from "../failure.js";
import { reportStatus } from "../output/connection-status.js";
import { SessionEnd } from "../session-end.js";
import { settingsOf, type Settings } from "../settings.js";

export function chatCommand(program: Command): void {
  program
    .command("chat")
    .description("join a chat room: prints its history and new messages, sends each line of stdin")
    .argument("<room>", "room name, e.g. match:ars-tot")
    .addOption(
      new Option(
        "--name <name>",
        "your display name, 1..32 characters (default: guest-NNNN)",
      ).argParser(displayName),
    )
    .addOption(
      new Option("--jwt <jwt>", "a signed identity (see `matchday token`); replaces --name").env(
        "MATCHDAY_JWT",
      ),
    )
    .addHelpText(
      "after",
      [
        "",
        "Ends at the end of stdin (Ctrl-D), once every line has been answered, or on",
        "Ctrl-C. A line that fails is reported and the rest go on; the exit code is",
        "then the first failure's. Each line is sent once, however often a lost",
        "connection makes the library retry it.",
        "",
        "Examples:",
        "  matchday chat match:ars-tot --name ana",
        '  echo "what a goal" | matchday chat match:ars-tot --name ana --json',
      ].join("\n"),
    )
    .action((room: string, options: { name?: string; jwt?: string }, command: Command) =>
      chat(room, options, settingsOf(command)),
    );
}

async function chat(
  roomName: string,
  { name, jwt }: { name?: string; jwt?: string },
  { url, output, connectTimeoutMs }: Settings,
): Promise<void> {
  const connection = new Connection(url, { ...(name === undefined ? {} : { name }), jwt });
  const end = new SessionEnd(connection);
  const failures: Failure[] = [];
  let lines = 0;
  let sending = Promise.resolve();
  let ending = false;
  let joined!: () => void;
  const firstJoin = new Promise<void>((resolve) => (joined = resolve));
  let room: ChatRoom | undefined;

  const send = async (text: string) => {
    try {
      await room!.send(text);
    } catch (err) {
      // Lines cut short by the end (Ctrl-C, or a failure told on its own) are no news.
      if (ending) return;
      const failure = toFailure(err);
      failures.push(failure);
      view.refused(failure);
    }
  };
  const input = new LineInput(
    output,
    (text) => {
      if (text.trim() === "") return;
      lines++;
      // One at a time, so the room gets the lines in the order they were written.
      sending = sending.then(() => send(text));
    },
    // Even for an empty stdin, the history is shown before the end.
    () => void Promise.all([sending, firstJoin]).then(() => end.finish()),
  );
  const view = new ChatView(output, input, roomName, connection.auth.userId);
  const stopStatus = reportStatus(connection, output, { print: (line) => input.print(line) });
  try {
    room = new Chat(connection).join(roomName, {
      onMessage: (message) => view.message(message),
      onJoin: joined,
      onPresence: (online) => view.presence(online),
      onTruncated: () => view.truncated(),
      onError: (err) => end.fail(err),
    });
    await end.after(whenLive(connection, connectTimeoutMs));
  } finally {
    ending = true;
    stopStatus();
    input.close();
    await room?.leave().catch(() => undefined);
    connection.close();
  }
  const [first] = failures;
  if (first) {
    const summary = `${failures.length} of ${lines} lines not sent; the first: ${first.message}`;
    throw new CliError(first.exitCode, first.code, summary);
  }
}
