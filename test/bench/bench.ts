/** One measured figure, as every benchmark module returns them (see scripts/bench.mjs). */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
