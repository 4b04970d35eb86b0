/**
 * Text the host did not write itself (tool results, prompts, model names, error text) is shown through
 * `visible`, so a document cannot move the cursor, clear the screen, retitle the window or overwrite a
 * line, and so cannot forge the approval screen. Newline and tab stay as they are; every other control
 * character (C0, DEL, C1) and the invisible bidirectional overrides are written as escapes.
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

export function visible(text: string): string {
  return text.replace(CONTROL, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
