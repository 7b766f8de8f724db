import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  parseTemplate,
  TmplAstBoundText,
  TmplAstElement,
  TmplAstText,
  type TmplAstNode,
} from '@angular/compiler';

/**
 * Every word a template shows goes through Angular's i18n: text outside an `i18n` element and
 * the attributes a screen reader or a tooltip reads (`aria-label`, `alt`, `title`,
 * `placeholder`) without `i18n-<name>` would stay English in every language, and neither the
 * build nor the catalogs would notice. Walks the templates with Angular's own parser.
 */
const APP_DIR = join(__dirname, '..');
const READ_ATTRIBUTES = new Set(['alt', 'title', 'placeholder', 'aria-label', 'aria-description']);
/** Text that is not words: punctuation, symbols, digits. */
const NOT_WORDS = /^[\s\p{P}\p{S}\p{N}]*$/u;

function templates(): { file: string; html: string }[] {
  const found: { file: string; html: string }[] = [];
  for (const entry of readdirSync(APP_DIR, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.name.endsWith('.spec.ts')) continue;
    const file = join(entry.parentPath, entry.name);
    if (entry.name.endsWith('.html')) found.push({ file, html: readFileSync(file, 'utf8') });
    else if (entry.name.endsWith('.ts')) {
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/\btemplate:\s*`([\s\S]*?)`/g))
        found.push({ file, html: match[1] });
    }
  }
  return found;
}

function untranslated(nodes: TmplAstNode[], inMessage: boolean, into: string[]): string[] {
  for (const node of nodes) {
    if (node instanceof TmplAstText && !inMessage && !NOT_WORDS.test(node.value))
      into.push(`text "${node.value.trim()}"`);
    if (node instanceof TmplAstBoundText && !inMessage) {
      const strings = (node.value as unknown as { ast: { strings?: string[] } }).ast.strings ?? [];
      if (!NOT_WORDS.test(strings.join(''))) into.push(`text "${strings.join('…').trim()}"`);
    }
    const translated = inMessage || (node instanceof TmplAstElement && node.i18n !== undefined);
    if (node instanceof TmplAstElement) {
      for (const attribute of node.attributes)
        if (READ_ATTRIBUTES.has(attribute.name) && attribute.i18n === undefined)
          if (!NOT_WORDS.test(attribute.value))
            into.push(`${attribute.name}="${attribute.value}" on <${node.name}>`);
    }
    const holder = node as { children?: TmplAstNode[]; branches?: { children: TmplAstNode[] }[] };
    for (const branch of holder.branches ?? []) untranslated(branch.children, translated, into);
    const cases = (node as { cases?: { children: TmplAstNode[] }[] }).cases ?? [];
    for (const branch of cases) untranslated(branch.children, translated, into);
    for (const child of ['empty', 'placeholder', 'loading', 'error'] as const) {
      const block = (node as Record<string, unknown>)[child] as { children?: TmplAstNode[] } | null;
      if (block?.children) untranslated(block.children, translated, into);
    }
    if (holder.children) untranslated(holder.children, translated, into);
  }
  return into;
}

describe('templates', () => {
  it('should mark every word they show for translation', () => {
    const found = templates();
    expect(found.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const { file, html } of found) {
      const parsed = parseTemplate(html, file, { preserveWhitespaces: false });
      expect(parsed.errors ?? []).toEqual([]);
      for (const problem of untranslated(parsed.nodes, false, []))
        problems.push(`${file.slice(APP_DIR.length + 1)}: ${problem}`);
    }
    expect(problems).toEqual([]);
  });
});
