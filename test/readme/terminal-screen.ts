/** Control sequences, or one character (a code point). */
// eslint-disable-next-line no-control-regex -- matching escape sequences is the point
const TOKENS = /\x1b\[([?\d;]*)([@-~])|\x1b[@-_]|[\s\S]/gu;

/**
 * What a terminal shows after it was sent `output`: enough of a VT100 for
 * what the command line and readline write (cursor moves and erasing;
 * colours and modes ignored), without wrapping. Trailing blanks go.
 */
export function terminalScreen(output: string): string[] {
  const rows: string[][] = [[]];
  let row = 0;
  let col = 0;
  const line = () => (rows[row] ??= []);
  for (const [token, params = "", command] of output.matchAll(TOKENS)) {
    const n = Number(params.split(";")[0] || 1);
    if (command === "A") row = Math.max(0, row - n);
    else if (command === "B") row += n;
    else if (command === "C") col += n;
    else if (command === "D") col = Math.max(0, col - n);
    else if (command === "G") col = n - 1;
    else if (command === "J" && (params || "0") === "0") {
      line().length = Math.min(line().length, col);
      rows.length = row + 1;
    } else if (command === "K") {
      const mode = params || "0";
      if (mode === "0") line().length = Math.min(line().length, col);
      else if (mode === "2") rows[row] = [];
    } else if (command !== undefined || token.startsWith("\x1b")) continue;
    else if (token === "\r") col = 0;
    else if (token === "\n") row++;
    else if (token === "\b") col = Math.max(0, col - 1);
    else if (token >= " ") {
      const cells = line();
      while (cells.length < col) cells.push(" ");
      cells[col++] = token;
    }
  }
  const text = Array.from(rows, (cells = []) => cells.join("").trimEnd());
  while (text.length > 0 && text.at(-1) === "") text.pop();
  return text;
}
