/** @module Terminal colour, on only when the stream is a TTY and --no-color/NO_COLOR say nothing. */
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

export function makeStyle(color: boolean): Style {
  if (!color) {
    const id = (s: string) => s;
    return { bold: id, dim: id, red: id, green: id, yellow: id, cyan: id };
  }
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
  };
}

/** Colour for a stream: a TTY, no NO_COLOR in the environment, and not turned off by flag. */
export function colorFor(stream: NodeJS.WriteStream, flag: boolean | undefined): boolean {
  return flag !== false && stream.isTTY === true && process.env.NO_COLOR === undefined;
}
