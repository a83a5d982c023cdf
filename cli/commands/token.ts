import { Option, type Command } from "commander";
import { SignJWT } from "jose";
import { settingsOf } from "../settings.js";

interface TokenOptions {
  sub: string;
  name: string;
  role: Array<"publisher" | "moderator">;
  secret: string;
  ttl: string;
}

export function tokenCommand(program: Command): void {
  program
    .command("token")
    .description("mint a development JWT (HS256), as a site signs one for its logged-in user")
    .requiredOption("--sub <id>", "the user id: 1..64 of [A-Za-z0-9_.:@-]")
    .requiredOption("--name <name>", "the display name: 1..32 characters")
    .addOption(
      new Option("--role <role>", "a role to grant (repeatable)")
        .choices(["publisher", "moderator"])
        .argParser((value: string, previous: string[] = []) => [...previous, value])
        .default([]),
    )
    .addOption(
      new Option("--secret <secret>", "the server's JWT_SECRET")
        .env("JWT_SECRET")
        .makeOptionMandatory(),
    )
    .option("--ttl <duration>", "lifetime, e.g. 15m, 1h, 7d", "1h")
    .addHelpText(
      "after",
      [
        "",
        "Example:",
        '  matchday chat match:ars-tot --jwt "$(matchday token --sub site:4711 --name Ana --secret dev)"',
      ].join("\n"),
    )
    .action(async (options: TokenOptions, command: Command) => {
      const { sub, name, role, secret, ttl } = options;
      const jwt = await new SignJWT({ name, ...(role.length > 0 ? { roles: role } : {}) })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(sub)
        .setIssuedAt()
        .setExpirationTime(ttl)
        .sign(new TextEncoder().encode(secret));
      const { output } = settingsOf(command);
      if (output.json) output.record("token", { jwt });
      else output.print(jwt);
    });
}
