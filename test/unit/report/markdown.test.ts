import { describe, expect, it } from 'vitest';
import { mdCode, mdFenced, mdParagraphs, mdTable, mdText } from '../../../src/harness/report/markdown.ts';

describe('mdText', () => {
  it('escapes everything with inline meaning', () => {
    expect(mdText('a|b`c<script>')).toBe('a\\|b\\`c\\<script\\>');
    expect(mdText('*bold* _em_ [link](x) ~~s~~ &amp; $x$ \\')).toBe(
      '\\*bold\\* \\_em\\_ \\[link\\](x) \\~\\~s\\~\\~ \\&amp; \\$x\\$ \\\\',
    );
  });

  it('folds line breaks and drops control characters, so a table row stays one row', () => {
    expect(mdText('line one\n| evil | row |\r\nthree\u001b[31m')).toBe('line one \\| evil \\| row \\| three\\[31m');
  });
});

describe('mdParagraphs', () => {
  it('keeps paragraphs and stops text from opening a block', () => {
    expect(mdParagraphs('# not a heading\n\n- not a list\n\n1. not ordered\nstill one paragraph')).toBe(
      '\\# not a heading\n\n\\- not a list\n\n1\\. not ordered still one paragraph',
    );
  });
});

describe('mdCode', () => {
  it('picks a fence longer than any backtick run inside', () => {
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('`edge`')).toBe('`` `edge` ``');
    expect(mdCode('')).toBe('` `');
  });

  it('escapes pipes only inside tables', () => {
    expect(mdCode('a|b')).toBe('`a|b`');
    expect(mdCode('a|b', { inTable: true })).toBe('`a\\|b`');
  });
});

describe('mdFenced', () => {
  it('keeps lines and out-fences any backticks inside', () => {
    expect(mdFenced('one\n```\ntwo\n')).toBe('````text\none\n```\ntwo\n````');
  });
});

describe('mdTable', () => {
  it('renders header, alignment rule and rows', () => {
    expect(mdTable(['a', 'n'], [['x', '1'], ['', '2']], ['left', 'right'])).toBe(
      '| a | n |\n| --- | ---: |\n| x | 1 |\n|   | 2 |',
    );
  });
});
