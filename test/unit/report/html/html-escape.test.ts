import { describe, expect, it } from 'vitest';
import { SafeHtml, escapeHtml, html, joinHtml } from '../../../../src/harness/report/html/page/html-escape.ts';
import { trustSvg } from '../../../../src/harness/report/html/page/trusted-svg.ts';

describe('escapeHtml', () => {
  it('escapes the five characters that can open markup or leave an attribute', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('drops terminal escapes and other control characters', () => {
    expect(escapeHtml('red\u001b[31m text\u0000')).toBe('red[31m text');
  });
});

describe('html tag', () => {
  it('escapes interpolated text and numbers but keeps its own markup', () => {
    const name = '<script>alert(1)</script>';
    expect(html`<td>${name}</td><td>${42}</td>`.value).toBe('<td>&lt;script&gt;alert(1)&lt;/script&gt;</td><td>42</td>');
  });

  it('passes SafeHtml through, escapes arrays item by item, and renders nothing for absent values', () => {
    const inner = html`<b>${'&'}</b>`;
    expect(html`${inner}|${['<', inner]}|${undefined}${null}${false}`.value).toBe('<b>&amp;</b>|&lt;<b>&amp;</b>|');
    expect(joinHtml(['<i>', html`<i>`], ', ').value).toBe('&lt;i&gt;, <i>');
  });

  it('escapes quotes inside attribute values', () => {
    const title = '"><img src=x onerror=alert(1)>';
    expect(html`<a title="${title}">`.value).toBe('<a title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">');
    expect(new SafeHtml('<b>').toString()).toBe('<b>');
  });
});

describe('trustSvg', () => {
  const svg = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">${body}</svg>`;

  it('accepts drawing: paths, text with escaped content, clip references', () => {
    expect(trustSvg(svg('<g clip-path="url(#c-1)"><path d="M0,0h1"/><text>a &lt;script&gt;</text></g>')).value).toContain('<path');
  });

  it.each([
    ['a script element', '<script>alert(1)</script>'],
    ['an event handler', '<rect onload="alert(1)"/>'],
    ['a link', '<a href="https://example.com"><text>x</text></a>'],
    ['an xlink reference', '<use xlink:href="#x"/>'],
    ['an embedded page', '<foreignObject><div/></foreignObject>'],
    ['an external url()', '<rect fill="url(https://example.com/x.svg#p)"/>'],
    ['an image', '<image src="x.png"/>'],
  ])('refuses %s', (_what, body) => {
    expect(() => trustSvg(svg(body))).toThrow(/refusing|one SVG/);
  });

  it('refuses anything that is not one svg element', () => {
    expect(() => trustSvg('<div></div>')).toThrow(/one SVG element/);
  });
});
