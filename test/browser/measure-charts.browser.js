// Runs inside the report page (page.evaluate), so it is plain browser JavaScript: the project's
// TypeScript has no DOM types, and a transpiled function could carry helpers the page lacks.
// Finds the chart containers (report.html's figures in section#charts; else figure.chart, else
// figures holding an svg, else every top-level svg) and measures each one's top-level <svg>.
(() => {
  const topLevel = (root) => [...root.querySelectorAll('svg')].filter((svg) => svg.parentElement?.closest('svg') == null);
  const area = document.querySelector('#charts') ?? document;
  const strategies = [
    ['#charts figure', () => [...document.querySelectorAll('#charts figure')]],
    ['figure.chart', () => [...document.querySelectorAll('figure.chart')]],
    ['figure:has(svg)', () => [...document.querySelectorAll('figure')].filter((figure) => figure.querySelector('svg') !== null)],
    ['svg', () => topLevel(document)],
  ];
  for (const [selector, find] of strategies) {
    const containers = find();
    if (containers.length === 0) continue;
    const charts = containers.map((container, index) => {
      const svgs = container instanceof SVGSVGElement ? [container] : topLevel(container);
      const box = svgs[0]?.getBoundingClientRect();
      const title = container.querySelector('figcaption h3, figcaption, h2, h3, title')?.textContent?.trim();
      return { name: container.id || title || `chart ${index + 1}`, svgs: svgs.length, width: box?.width ?? 0, height: box?.height ?? 0 };
    });
    return { selector, charts, areaSvgs: topLevel(area).length };
  }
  return { selector: 'none', charts: [], areaSvgs: topLevel(area).length };
})();
