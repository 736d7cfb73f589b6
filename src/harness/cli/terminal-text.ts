// Scenario text (descriptions, keys, values echoed in messages) comes from files people share.
// Printed raw, an escape sequence in it could move the cursor, rewrite earlier lines, retitle the
// window or hide the rest of a message. On a terminal it is shown instead as visible text: \x1b.

// C0 controls except tab and newline, DEL, C1 controls, and the bidirectional overrides that can
// reorder what a line appears to say.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every control character replaced by its visible escape (ESC becomes "\x1b"). */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** One line of scenario text: also newlines become visible, so it cannot spill onto other lines. */
export function terminalLine(text: string): string {
  return terminalSafe(text).replace(/[\n\t]/g, (ch) => (ch === '\n' ? '\\n' : ' '));
}
