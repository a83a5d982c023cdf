/** C0 and C1 control characters, ESC included. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Text from other people (chat messages, names) as it may reach a terminal:
 * an escape sequence in it could move the cursor, recolour or retitle the
 * terminal, so every control character shows as U+FFFD instead.
 */
export const printable = (text: string) => text.replace(CONTROL, "\uFFFD");
