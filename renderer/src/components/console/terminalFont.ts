// The console's font. xterm.js's default (courier-new, courier, monospace at line height 1) lets
// the underscore's ink fall a pixel below the row box in the DOM renderer, which clips each row:
// `x86_64` read as "x86 64". A fifth of a line of room, split above and below each row, keeps
// descenders and underscores inside; the stack names monospace fonts with a low underscore and
// full box-drawing sets on each desktop (Linux, Windows, macOS) before the generic fallback.
export const TERMINAL_FONT = {
  fontFamily: '"DejaVu Sans Mono", "Liberation Mono", "Cascadia Mono", Consolas, Menlo, "SF Mono", monospace',
  fontSize: 14,
  lineHeight: 1.2,
} as const;
