import { SafeHtml } from './html-escape.ts';

// Chart SVGs go into the page unescaped (they are markup). vega escapes the text it draws (node
// names, operation names, labels), and our specs use no marks that link or embed anything; this
// check makes that a guarantee rather than an assumption: anything that could run script, load
// a resource or navigate makes the chart fail instead of reaching the page.

const FORBIDDEN: readonly [RegExp, string][] = [
  [/<\s*(?:script|foreignObject|iframe|object|embed|image|img|a|style|animate\w*|set)\b/i, 'an element that can run script, embed or link'],
  [/<[^>]*\son[a-z]+\s*=/i, 'an event handler attribute'],
  [/<[^>]*\s(?:xlink:)?href\s*=/i, 'a link'],
  [/<[^>]*\ssrc\s*=/i, 'a source attribute'],
  [/url\(\s*(?!#)/i, 'a url() that is not a reference inside the SVG'],
];

/** The SVG as markup for the page; throws if it holds anything but drawing. */
export function trustSvg(svg: string): SafeHtml {
  const text = svg.trim();
  if (!text.startsWith('<svg') || !text.endsWith('</svg>')) throw new Error('chart renderer did not return one SVG element');
  for (const [pattern, what] of FORBIDDEN) {
    if (pattern.test(text)) throw new Error(`chart SVG contains ${what}; refusing to put it in the page`);
  }
  return new SafeHtml(text);
}
