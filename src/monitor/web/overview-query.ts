/**
 * @module The overview's filter, sort and page, on the server (pure): the browser receives one
 * page of rows, never the fleet.
 */
import type { OverviewRow } from "./overview-index.js";
import type { OverviewParams, Sort, Status } from "./params.js";

export const DEFAULT_PER_PAGE = 100;

export interface OverviewPage {
  readonly rows: readonly OverviewRow[];
  /** Rows that pass the filters (all pages). */
  readonly matching: number;
  readonly total: number;
  readonly page: number;
  readonly pages: number;
  readonly per: number;
  readonly sort: Sort;
  /** Rows per status over all the fleet. */
  readonly byStatus: Readonly<Record<Status, number>>;
}

const RANK: Readonly<Record<Status, number>> = {
  failing: 0,
  flapping: 1,
  "no-data": 2,
  healthy: 3,
};

const byName = (a: OverviewRow, b: OverviewRow) =>
  a.name < b.name
    ? -1
    : a.name > b.name
      ? 1
      : a.vantage < b.vantage
        ? -1
        : a.vantage > b.vantage
          ? 1
          : 0;
const nullLast = (a: number | null, b: number | null, dir: 1 | -1) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : (a - b) * dir;

const ORDER: Readonly<Record<Sort, (a: OverviewRow, b: OverviewRow) => number>> = {
  status: (a, b) =>
    RANK[a.status] - RANK[b.status] || nullLast(a.availability, b.availability, 1) || byName(a, b),
  name: byName,
  availability: (a, b) => nullLast(a.availability, b.availability, 1) || byName(a, b),
  rtt: (a, b) => nullLast(a.rttMs, b.rttMs, -1) || byName(a, b),
};

function matches(row: OverviewRow, p: OverviewParams, q: string | undefined): boolean {
  if (p.status && row.status !== p.status) return false;
  if (p.vantage && row.vantage !== p.vantage) return false;
  if (p.cause && row.cause !== p.cause) return false;
  if (p.tag && !row.tags.includes(p.tag)) return false;
  if (q && !row.name.toLowerCase().includes(q) && !row.host.toLowerCase().includes(q)) return false;
  return true;
}

/**
 * One page of the fleet.
 * @example overviewPage(rows, { status: "failing", page: 1 }).rows
 */
export function overviewPage(rows: readonly OverviewRow[], p: OverviewParams): OverviewPage {
  const byStatus: Record<Status, number> = { failing: 0, flapping: 0, "no-data": 0, healthy: 0 };
  for (const r of rows) byStatus[r.status]++;
  const q = p.q?.trim().toLowerCase() || undefined;
  const hits = rows.filter((r) => matches(r, p, q));
  const sort = p.sort ?? "status";
  hits.sort(ORDER[sort]);
  const per = p.per ?? DEFAULT_PER_PAGE;
  const pages = Math.max(1, Math.ceil(hits.length / per));
  const page = Math.min(p.page ?? 1, pages);
  return {
    rows: hits.slice((page - 1) * per, page * per),
    matching: hits.length,
    total: rows.length,
    page,
    pages,
    per,
    sort,
    byStatus,
  };
}
