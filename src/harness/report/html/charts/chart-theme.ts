import { OPERATION_NAMES } from '../../../scenario/schema.ts';
import type { Config } from 'vega-lite';

// One look for every chart, matching the page: system font, quiet axes, and a fixed colour per
// operation (its position in the scenario's canonical list), so checkout is the same colour in
// every chart and every report.

// Short: vega repeats the font on every text element of the SVG.
export const FONT = 'system-ui, Helvetica, Arial, sans-serif';
export const WIDTH = 820;
export const TIME_TITLE = 'seconds since the measured run began';

// Tableau 10: distinguishable, colour-blind friendlier than the defaults, ten colours for nine operations.
const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export const CHART_CONFIG: Config = {
  font: FONT,
  background: 'white',
  // No ARIA per mark: a label on each of thousands of points would double the SVG; the page's
  // figure carries the title and caption instead.
  aria: false,
  padding: 6,
  view: { stroke: '#e5e7eb' },
  axis: {
    labelColor: '#4b5563',
    titleColor: '#374151',
    titleFontWeight: 'normal',
    gridColor: '#f1f2f4',
    domainColor: '#9ca3af',
    tickColor: '#9ca3af',
    labelFontSize: 11,
    titleFontSize: 11,
  },
  // Seconds as 0, 2.5, 10: vega picks the decimals from the tick step, "~" drops trailing zeros
  // (the "g" format would print a step of 10 as 1e+1).
  axisX: { format: ',~f' },
  legend: { labelColor: '#374151', titleColor: '#374151', titleFontWeight: 'normal', labelFontSize: 11, titleFontSize: 11 },
  title: { fontSize: 12, fontWeight: 'normal', color: '#111827', anchor: 'start' },
};

/** A colour scale for the given operations that gives each the colour of its canonical position. */
export function operationColors(operations: readonly string[]): { domain: string[]; range: string[] } {
  const canonical = OPERATION_NAMES as readonly string[];
  const colorOf = (name: string, fallback: number) => {
    const index = canonical.indexOf(name);
    return PALETTE[(index === -1 ? canonical.length + fallback : index) % PALETTE.length]!;
  };
  return { domain: [...operations], range: operations.map((name, i) => colorOf(name, i)) };
}

/** The time axis every chart shares: 0 to the end of the measured run, never rounded outwards. */
export function timeScale(endSeconds: number): { domain: [number, number]; nice: false; zero: true } {
  return { domain: [0, Math.max(endSeconds, 0.001)], nice: false, zero: true };
}
