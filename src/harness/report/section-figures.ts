import type { RunResults } from '../results/results-types.ts';
import type { Align } from './markdown.ts';

// A report section as data, so one figures file is the whole section: each output format has one
// walker (render-section-md.ts, html/page/render-section-html.ts) that renders any section, and
// escapes every string its own way. Topologies never see this: their results.json field is the
// input (harness/results), the section is computed here from it.

/** Inline text: plain, or marked. Every string is untrusted (node names, errors). */
export type Inline = string | { readonly strong: string } | { readonly code: string };

export type Block =
  /** Running text. */
  | { readonly kind: 'paragraph'; readonly text: readonly Inline[] }
  /** What the next table shows: "text:" in report.md, a sub-heading in report.html. */
  | { readonly kind: 'caption'; readonly text: readonly Inline[] }
  /** Header cells are the section's own words; body cells are figures or untrusted names. */
  | {
      readonly kind: 'table';
      /** The table's class in report.html (tests and styles find it by this). */
      readonly name: string;
      readonly header: readonly string[];
      readonly rows: readonly (readonly string[])[];
      readonly align: readonly Align[];
    };

export interface SectionFigures {
  /** Anchor in report.html and key of the page's navigation. */
  readonly id: string;
  readonly title: string;
  readonly blocks: readonly Block[];
}

/** From a run's results to its section; undefined when the run has nothing for it. */
export type SectionSource = (results: RunResults) => SectionFigures | undefined;
