import { spawn } from "node:child_process";
import { terminalScreen } from "./terminal-screen.js";

export interface TerminalOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  /** Once the screen matches this, Ctrl-C is typed (for commands that run until then). */
  interruptWhen?: RegExp;
  timeoutMs: number;
}

/**
 * Runs `command` with bash on a pseudo-terminal (util-linux `script`), as
 * someone types it at a prompt, and resolves with what the terminal shows
 * once it has ended.
 */
export function runInTerminal(
  command: string,
  { cwd, env, interruptWhen, timeoutMs }: TerminalOptions,
): Promise<string[]> {
  const child = spawn("script", ["-qfec", `stty cols 120 rows 50; ${command}`, "/dev/null"], {
    cwd,
    env: { ...env, SHELL: "/bin/bash" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  let output = "";
  let interrupted = false;
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    output += chunk;
    if (interruptWhen && !interrupted && interruptWhen.test(terminalScreen(output).join("\n"))) {
      interrupted = true;
      child.stdin.write("\x03");
    }
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      const screen = terminalScreen(output).join("\n");
      reject(
        new Error(`\`${command}\` did not end within ${timeoutMs} ms; the screen:\n${screen}`),
      );
    }, timeoutMs);
    child.once("close", () => {
      clearTimeout(timer);
      child.stdin.end();
      resolve(terminalScreen(output));
    });
  });
}
