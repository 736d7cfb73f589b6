// Reads tables back out of report.md and report.html as plain text, so tests can compare the two
// reports cell by cell. Markup and escaping are undone; what is left is what a reader sees.

const ENTITIES: Readonly<Record<string, string>> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&amp;': '&' };

/** The text a browser shows for an HTML fragment (tags dropped, the page's entities decoded). */
export function htmlText(fragment: string): string {
  return fragment.replace(/<[^>]+>/g, '').replace(/&(?:lt|gt|quot|#39|amp);/g, (entity) => ENTITIES[entity]!);
}

/** Every table's rows, header rows included, one array of cell texts per row. */
export function htmlTableRows(html: string): string[][] {
  return [...html.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map(([, row]) => [...row!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map(([, cell]) => htmlText(cell!).trim()));
}

/** Every GFM table's rows, header rows included, alignment rows left out. */
export function mdTableRows(md: string): string[][] {
  return md
    .split('\n')
    .filter((line) => line.startsWith('| ') && !/^\|(?: -{3}:? \|)+$/.test(line))
    .map((line) =>
      line
        .slice(2, -2)
        .split(/(?<!\\) \| /)
        .map((cell) => cell.replace(/\*\*/g, '').replace(/`/g, '').replace(/\\(.)/g, '$1').trim()),
    );
}

/** Every paragraph's text (headings and tables left out), as a reader sees it in report.md. */
export function mdParagraphTexts(md: string): string[] {
  return md
    .split('\n\n')
    .filter((block) => !block.startsWith('#') && !block.startsWith('| '))
    .map((block) => block.replace(/\*\*/g, '').replace(/`/g, '').replace(/\\(.)/g, '$1'));
}

/** Every <p>'s text, as a reader sees it in report.html. */
export function htmlParagraphTexts(html: string): string[] {
  return [...html.matchAll(/<p[^>]*>([\s\S]*?)<\/p>/g)].map(([, text]) => htmlText(text!));
}
