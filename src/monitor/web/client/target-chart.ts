/**
 * @module In the browser (served as /assets/target-chart.mjs, a module script): the target
 * page's SmokePing-style latency chart with uPlot — the median connect RTT as a line, the spread
 * min–max shaded between two faint lines, p90 dashed, and on a right-hand axis the connects lost
 * and rounds failed (%) shaded red. Its data comes from the URL in the container's
 * `data-series`. Compiled by tsc like the rest; the DOM it needs is declared here (the project
 * compiles without the DOM library).
 */

interface Box {
  readonly dataset: Record<string, string | undefined>;
  readonly clientWidth: number;
  textContent: string | null;
}
declare const document: { querySelector(selector: string): Box | null };
declare const window: { addEventListener(type: string, listener: () => void): void };
declare function fetch(
  url: string,
): Promise<{ ok: boolean; status: number; json(): Promise<unknown>; text(): Promise<string> }>;
interface Plot {
  setSize(size: { width: number; height: number }): void;
  readonly series: readonly unknown[];
}
declare const uPlot: {
  new (options: unknown, data: unknown, target: Box): Plot;
  tzDate(date: Date, tz: string): Date;
};

/** What /api/target/NAME/series answers. */
interface SeriesData {
  readonly t: number[];
  readonly min: (number | null)[];
  readonly max: (number | null)[];
  readonly p50: (number | null)[];
  readonly p90: (number | null)[];
  readonly lossPct: (number | null)[];
  readonly failedPct: (number | null)[];
}

const HEIGHT = 320;
const BLUE = "#1f5f8b";
const msText = (v: number | null) => (v === null ? "—" : `${v.toFixed(2)} ms`);
const pctText = (v: number | null) => (v === null ? "—" : `${v.toFixed(1)} %`);

function options(title: string, width: number): unknown {
  const ms = (label: string, stroke: string, extra: object = {}) => ({
    label,
    scale: "ms",
    stroke,
    width: 1,
    value: (_u: unknown, v: number | null) => msText(v),
    ...extra,
  });
  const pct = (label: string, stroke: string, fill: string) => ({
    label,
    scale: "pct",
    stroke,
    fill,
    width: 1,
    value: (_u: unknown, v: number | null) => pctText(v),
  });
  return {
    title,
    width,
    height: HEIGHT,
    tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
    scales: { x: { time: true }, ms: { auto: true }, pct: { range: [0, 100] } },
    series: [
      { label: "UTC" },
      ms("min", "rgba(31,95,139,0.35)"),
      ms("max", "rgba(31,95,139,0.35)"),
      ms("median", BLUE, { width: 2 }),
      ms("p90", BLUE, { dash: [5, 4] }),
      pct("connects lost", "rgba(192,57,43,0.9)", "rgba(231,76,60,0.22)"),
      pct("rounds failed", "rgba(142,68,173,0.9)", "rgba(142,68,173,0.18)"),
    ],
    bands: [{ series: [2, 1], fill: "rgba(31,95,139,0.16)" }],
    axes: [
      {},
      { scale: "ms", label: "connect RTT (ms)", size: 60 },
      { scale: "pct", side: 1, label: "lost / failed (%)", grid: { show: false } },
    ],
  };
}

async function draw(box: Box): Promise<void> {
  const url = box.dataset["series"];
  if (!url) return;
  const res = await fetch(url);
  if (!res.ok) {
    box.textContent = `The chart's data could not be read (${res.status}): ${await res.text()}`;
    return;
  }
  const d = (await res.json()) as SeriesData;
  if (d.t.length === 0) {
    box.textContent = "No rounds in this period.";
    return;
  }
  const data = [d.t, d.min, d.max, d.p50, d.p90, d.lossPct, d.failedPct];
  const plot = new uPlot(options(box.dataset["title"] ?? "", box.clientWidth || 900), data, box);
  box.dataset["drawn"] = String(plot.series.length - 1);
  window.addEventListener("resize", () => plot.setSize({ width: box.clientWidth, height: HEIGHT }));
}

const box = document.querySelector("#chart");
if (box)
  draw(box).catch((err: unknown) => {
    box.textContent = `The chart could not be drawn: ${String(err)}`;
  });

// A module (its declarations stay local; the browser loads it with type="module").
export {};
