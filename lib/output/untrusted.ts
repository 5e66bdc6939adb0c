// Text kiln did not write itself (file names and contents, config values, remote build log lines)
// may hold terminal control sequences: an escape that retitles the window, hides the next line or
// rewrites the clipboard. Before such text reaches a terminal, every control character except tab
// and newline is shown as a visible escape instead of being obeyed.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function neutralize(text: string): string {
  return text.replace(CONTROL, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}
