/** A fenced code block of a Markdown file. */
export interface CodeBlock {
  lang: string;
  lines: string[];
  /** 1-based line of its opening fence, for messages. */
  line: number;
}

export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let open: CodeBlock | undefined;
  for (const [index, text] of markdown.split("\n").entries()) {
    const fence = /^```(\S*)/.exec(text);
    if (open && fence) {
      blocks.push(open);
      open = undefined;
    } else if (fence) open = { lang: fence[1], lines: [], line: index + 1 };
    else open?.lines.push(text);
  }
  return blocks;
}

/** One command of a terminal transcript, and the screen it leaves. */
export interface TranscriptStep {
  /** Continuation lines (ending in `\`) included. */
  command: string;
  expected: string[];
  /** Where the transcript shows `^C`, which the command needs to end. */
  interrupted: boolean;
}

/** Reads a `console` block: `$ ` starts a command; what follows, to the next one, it prints. */
export function transcript(block: CodeBlock): TranscriptStep[] {
  const steps: TranscriptStep[] = [];
  let continued = false;
  for (const line of block.lines) {
    const step = steps.at(-1);
    if (line.startsWith("$ "))
      steps.push({ command: line.slice(2), expected: [], interrupted: false });
    else if (continued && step) step.command += `\n${line}`;
    else if (step) {
      step.expected.push(line);
      if (line === "^C") step.interrupted = true;
    } else throw new Error(`README.md:${block.line}: a transcript starts with "$ "`);
    continued = line.endsWith("\\");
  }
  for (const step of steps) {
    while (step.expected.at(-1) === "") step.expected.pop();
  }
  return steps;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** What differs from run to run, in an escaped line of the README: one example value there. */
const VARYING: Array<[RegExp, string]> = [
  // A server's timestamps (updatedAt, ts).
  [/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\\\.\d{3}Z/g, String.raw`\d{4}-\d\d-\d\dT[\d:.]+Z`],
  // The local time of a chat message.
  [/^\d\d:\d\d /, String.raw`\d\d:\d\d `],
  // A freshly signed JWT: its expiry, and so its signature, differ.
  [/eyJ[\w-]+\\\.eyJ[\w-]+\\\.[\w-]+/g, String.raw`eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+`],
  // How long a replay took: held to the README's figure separately.
  [/^(done: \d+ updates in )[\d\\.]+( s)$/, String.raw`$1[\d.]+$2`],
];

/**
 * The screens `expected` (lines of a transcript) stands for: `…` is any
 * number of lines, and what varies between runs may differ.
 */
export function screenPattern(expected: string[]): RegExp {
  const lines = expected.map((line) =>
    line === "…"
      ? String.raw`[\s\S]*?`
      : VARYING.reduce((text, [varying, any]) => text.replace(varying, any), escape(line)),
  );
  return new RegExp(`^${lines.join("\n")}$`);
}
