// Durations are written the way people say them ("20s", "1.5m", "250ms") or as a bare
// number of seconds. Everything inside the harness works in milliseconds.
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/;

export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? finite(value * 1000) : undefined;
  const match = PATTERN.exec(value);
  if (!match) return undefined;
  return finite(Number(match[1]) * UNIT_MS[match[2]!]!);
}

// Huge inputs ("1e306", a 400-digit "s" string) overflow to Infinity milliseconds.
function finite(ms: number): number | undefined {
  return Number.isFinite(ms) ? ms : undefined;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(2)}s`;
  return `${+(ms / 60_000).toFixed(2)}m`;
}
