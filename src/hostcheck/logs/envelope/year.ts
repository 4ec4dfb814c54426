/**
 * @module The year of a classic syslog line, which has none (`Nov 30 14:00:01`). A file is
 * written up to its modification time, so a line's date is the latest one not after that
 * reference (plus a day of slack for clocks and zones): a `Dec 31` line in a file last written
 * on `Jan 2` belongs to the year before. The reference is the file's mtime, or now for the
 * journal and stdin.
 */

const DAY_MS = 86_400_000;

/**
 * A `yearFor(month, day)` for lines written up to `reference` (ms since the epoch, local time).
 * Months are 1-12.
 * @example yearGuesser(Date.parse("2027-01-02T10:00:00"))(12, 31) // 2026
 * @example yearGuesser(Date.parse("2027-01-02T10:00:00"))(1, 1) // 2027
 */
export function yearGuesser(reference: number): (month: number, day: number) => number {
  const ref = new Date(reference);
  const refYear = ref.getFullYear();
  const limit = reference + DAY_MS;
  return (month, day) => {
    const t = new Date(refYear, month - 1, day).getTime();
    return t > limit ? refYear - 1 : refYear;
  };
}
