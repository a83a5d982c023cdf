/**
 * The widget's own styles, inside its shadow root: the host page's rules do
 * not reach in, these do not leak out, and `all: initial` stops inherited
 * fonts and colours at the boundary. A host page's \`!important\` rules on
 * the host element still beat \`:host\`, so fonts and colours are set again
 * on \`.card\`, which no outside rule can reach.
 */
export const WIDGET_CSS = `
:host {
  all: initial;
  display: block;
}
.card {
  box-sizing: border-box;
  font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #14171a;
  text-align: start;
  max-width: 24rem;
  padding: 0.75rem 1rem 0.5rem;
  border: 1px solid #d0d7de;
  border-radius: 12px;
  background: #fff;
}
.teams {
  display: grid;
  grid-template-columns: 1fr auto auto auto 1fr;
  align-items: center;
  gap: 0.5rem;
  margin: 0;
}
.name { font-weight: 600; overflow-wrap: anywhere; }
.name.home { text-align: end; }
.score {
  min-width: 1.5em;
  padding: 0 0.2em;
  border-radius: 6px;
  font-size: 1.75em;
  font-weight: 700;
  font-variant-numeric: tabular-nums;
  text-align: center;
}
.dash { color: #57606a; }
.clock { margin: 0.25rem 0 0; color: #57606a; font-size: 0.85em; text-align: center; }
.match[data-status="live"] .clock { color: #1a7f37; font-weight: 600; }
.status {
  display: flex;
  align-items: center;
  gap: 0.4em;
  margin: 0.5rem 0 0;
  color: #57606a;
  font-size: 0.75em;
}
.status::before {
  content: "";
  width: 0.6em;
  height: 0.6em;
  border-radius: 50%;
  background: #8c959f;
}
.status[data-state="live"]::before { background: #1a7f37; }
.status[data-state="reconnecting"]::before { background: #bf8700; }
.status[data-state="offline"]::before { background: #cf222e; }
.visually-hidden {
  position: absolute;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip-path: inset(50%);
  white-space: nowrap;
}
`;
