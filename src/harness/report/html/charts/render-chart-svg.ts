import type { ChartSpec } from './chart-types.ts';

// Charts are drawn at report time, in Node, to inline SVG: the page then needs no script, no
// library and no network to show them. vega-lite compiles the spec to vega; vega's headless view
// (renderer 'none': no canvas package) renders SVG text. Both libraries are imported on first use
// (about a second, once per process), so runs that write no HTML never pay for them.

type Engines = { vega: typeof import('vega'); vegaLite: typeof import('vega-lite') };
let engines: Promise<Engines> | undefined;

export function loadChartEngines(): Promise<Engines> {
  engines ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vegaLite]) => ({ vega, vegaLite }));
  return engines;
}

/**
 * Renders a vega-lite spec to a standalone SVG string; `idPrefix` keeps its ids unique in a page.
 * vega-lite's warnings (a spec it had to guess about) go to `onWarning`, not to the run's output.
 */
export async function renderChartSvg(spec: ChartSpec, idPrefix: string, onWarning: (message: string) => void = () => {}): Promise<string> {
  const { vega, vegaLite } = await loadChartEngines();
  const text = (parts: readonly unknown[]) => parts.map(String).join(' ');
  const logger = {
    level: () => logger,
    error: (...parts: readonly unknown[]) => {
      throw new Error(text(parts));
    },
    warn: (...parts: readonly unknown[]) => {
      onWarning(text(parts));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  const compiled = vegaLite.compile(spec, { logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    return compactSvg(await view.toSVG(), idPrefix);
  } finally {
    view.finalize();
  }
}

const GEOMETRY_ATTRIBUTE = /\s(?:d|transform|x|y|x1|x2|y1|y2|width|height|points)="[^"]*"/g;
const LONG_DECIMAL = /-?\d+\.\d{2,}/g;

/**
 * Vega writes coordinates at full double precision ("translate(382.3076923076923,...)"); a tenth
 * of a pixel is finer than any screen shows, and rounding makes a scatter's SVG a third smaller.
 * Ids (clip paths) are numbered per view from 1, so two charts in one page would share them:
 * each chart's ids get its own prefix.
 */
export function compactSvg(svg: string, idPrefix: string): string {
  return svg
    .replace(GEOMETRY_ATTRIBUTE, (attribute) => attribute.replace(LONG_DECIMAL, (n) => String(Math.round(Number(n) * 10) / 10)))
    .replace(/\sid="([^"]*)"/g, (_, id: string) => ` id="${idPrefix}-${id}"`)
    .replace(/url\(#([^)]*)\)/g, (_, id: string) => `url(#${idPrefix}-${id})`);
}
