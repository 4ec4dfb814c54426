/**
 * @module What a terminal would show: server text cleaned for programs. A line is replayed as
 * a terminal draws it (CR returns to the start of the line, backspace steps back, ESC [ K erases
 * to the end, other escape sequences are dropped), so pagers that erase themselves and prompts
 * redrawn in place leave no debris. Also: pager prompts, the command echo and the trailing
 * prompt, found and removed. Pure functions, no I/O.
 */

/**
 * Pager prompts, as the last (unfinished) line: `--More--`, ` -- More -- `, `<--- More --->`,
 * `---(more 45%)---`, `---- More ----`, `Press any key to continue`, `q to quit`, less's `(END)`.
 */
export const DEFAULT_PAGER =
  /(?:-{2,4}\s*\(?more\b[^\r\n]{0,12}?\)?\s*-{2,4}|<-+\s*more\s*-+>|press any key to continue|press <?space>? (?:bar )?to continue|\bq(?:uit)? to quit\b|\(END\)$)[^\r\n]{0,80}$/i;

/** A cheap first look for the default pager: one of its words must be on the line. */
const PAGER_WORD = /more|continue|quit|END/i;

/** A shell or device prompt at the end of the line: `$`, `#`, `>`, `%` or `]`, then a space or not. */
export const DEFAULT_PROMPT = /[$#>%\]][ \t]?$/;

const ESC_SEQ = /\x1b(?:\[([0-9;?]*)([ -/]*[@-~])|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/y;

const SPECIAL = /[\r\b\x1b\x00]/;

/** ESC [ K (to the end), ESC [ 1 K (to the start), ESC [ 2 K (the whole line). */
function eraseInLine(cells: string[], cursor: number, param: string): void {
  if (param === "" || param === "0") cells.length = Math.min(cells.length, cursor);
  else if (param === "2") cells.length = 0;
  else if (param === "1") for (let i = 0; i <= cursor && i < cells.length; i++) cells[i] = " ";
}

/** Draw one line (no LF inside) as a terminal would; trailing blanks removed. */
export function drawLine(line: string): string {
  if (!SPECIAL.test(line)) return line.trimEnd();
  const cells: string[] = [];
  let cursor = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "\r") cursor = 0;
    else if (c === "\b") cursor = Math.max(0, cursor - 1);
    else if (c === "\x1b") {
      ESC_SEQ.lastIndex = i;
      const m = ESC_SEQ.exec(line);
      if (!m) continue;
      i += m[0].length - 1;
      const n = Math.max(1, Number.parseInt(m[1] || "1", 10) || 1);
      if (m[2] === "K") eraseInLine(cells, cursor, m[1]);
      else if (m[2] === "D") cursor = Math.max(0, cursor - n);
      else if (m[2] === "C") cursor += n;
    } else if (c >= " " || c === "\t") {
      while (cells.length < cursor) cells.push(" ");
      cells[cursor++] = c;
    }
  }
  return cells.join("").trimEnd();
}

/**
 * Server text as lines a program can read: CR LF, CR NUL and LF end lines; each line drawn as a
 * terminal shows it, so what a CR or backspace overwrote is gone (diagnosis/text.ts's
 * `stripControls` only removes the codes, keeping every word, for evidence).
 * @example cleanText("a\r\nb  \r\n--More--\b\b\b\b\b\b\b\b        \b\b\b\b\b\b\b\bc") // "a\nb\nc"
 */
export function cleanText(text: string): string {
  return cleanLines(text).join("\n");
}

/** cleanText as an array of lines (CR NUL needs no care: drawLine returns and drops the NUL). */
function cleanLines(text: string): string[] {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    let end = l.length;
    while (end > 0 && l.charCodeAt(end - 1) === 13) end--;
    lines[i] = drawLine(end === l.length ? l : l.slice(0, end));
  }
  return lines;
}

/** The text after the last LF: the line a device is waiting on. */
export function lastLine(text: string): string {
  return text.slice(text.lastIndexOf("\n") + 1);
}

/**
 * Find a pager prompt on the unfinished last line. Returns where it starts in `text`, or -1.
 * @example findPager("line 1\r\n --More-- ") // 8
 */
export function findPager(text: string, pager: RegExp = DEFAULT_PAGER): number {
  const start = text.lastIndexOf("\n") + 1;
  const line = text.slice(start);
  if (line.length === 0 || line.length > 200) return -1;
  if (pager === DEFAULT_PAGER && !PAGER_WORD.test(line)) return -1;
  const m = pager.exec(line);
  return m ? start + m.index : -1;
}

/** True when `line` (drawn) ends with a prompt per `prompt`. */
export function isPrompt(line: string, prompt: RegExp = DEFAULT_PROMPT): boolean {
  if (prompt.test(line)) return true;
  const drawn = drawLine(line);
  // A prompt usually ends in a space the trim removed: test both.
  return drawn !== line && (prompt.test(drawn) || prompt.test(`${drawn} `));
}

/** What exec returns, explained. */
export interface ExecOutput {
  /** The command's output: echo and prompt removed, lines joined by LF, no final LF. */
  readonly output: string;
  /** The prompt that ended it (drawn). */
  readonly prompt: string;
  /** True when the echo of the command was found and removed. */
  readonly echoStripped: boolean;
}

/**
 * Split a command's raw response (from after it was sent to the end of the prompt) into output
 * and prompt, removing the command's echo. `knownPrompt` (the prompt seen last time) splits
 * output that the device ended without a line break from the prompt that follows it.
 * @example splitResponse("show clock\r\n12:00\r\nr1#", "show clock") // { output: "12:00", prompt: "r1#", echoStripped: true }
 */
export function splitResponse(raw: string, command: string, knownPrompt?: string): ExecOutput {
  const lines = cleanLines(raw);
  let prompt = lines.pop() ?? "";
  // Output and prompt on one line ("42router>"): the prompt seen before tells them apart.
  if (knownPrompt && prompt !== knownPrompt && prompt.endsWith(knownPrompt)) {
    lines.push(prompt.slice(0, prompt.length - knownPrompt.length));
    prompt = knownPrompt;
  }
  // A device that took CR LF for two keys printed the prompt twice: drop the extra one.
  while (prompt !== "" && lines.length > 0 && lines[lines.length - 1] === prompt) lines.pop();
  const cmd = command.trim();
  let echoStripped = false;
  if (cmd !== "" && lines.length > 0 && lines[0].includes(cmd)) {
    lines.shift();
    echoStripped = true;
  } else if (lines.length > 0 && lines[0] === "") {
    // No echo (the server does not echo): the line break that answered Enter.
    lines.shift();
  }
  return { output: lines.join("\n"), prompt, echoStripped };
}
