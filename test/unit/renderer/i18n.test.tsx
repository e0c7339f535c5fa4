// @vitest-environment jsdom
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { pickLanguage, resources } from '../../../renderer/src/i18n';

// Everything the UI can show: the base files and every area file, merged as i18next sees them.
const en = resources.en.translation;
const de = resources.de.translation;

function keys(obj: unknown, prefix = ''): string[] {
  if (typeof obj !== 'object' || obj === null) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function leaf(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj);
}

describe('translations', () => {
  it('every English key has a German translation and vice versa (base and area files)', () => {
    const e = keys(en).sort();
    const d = keys(de).sort();
    expect(e.filter((k) => !d.includes(k))).toEqual([]);
    expect(d.filter((k) => !e.includes(k))).toEqual([]);
  });

  it('no translation is empty and placeholders match', () => {
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const k of keys(en)) {
      const a = leaf(en, k);
      const b = leaf(de, k);
      expect(typeof a === 'string' && a.length > 0, k).toBe(true);
      expect(typeof b === 'string' && b.length > 0, k).toBe(true);
      expect(vars(b as string), k).toEqual(vars(a as string));
    }
  });

  it('picks the language from the system', () => {
    expect(pickLanguage(['de-AT', 'en'])).toBe('de');
    expect(pickLanguage(['fr-FR', 'en-GB'])).toBe('en');
    expect(pickLanguage(['fr'])).toBe('en');
    expect(pickLanguage([])).toBe('en');
  });
});

// Props whose string values are shown to people (or read by screen readers).
const VISIBLE_PROPS = new Set([
  'aria-label',
  'title',
  'placeholder',
  'label',
  'description',
  'titleText',
  'toggleText',
  'screenReaderText',
  'screenreaderText',
  'alt',
  'content',
  'helperText',
  'resetButtonLabel',
]);

function hardCodedStrings(file: string, src = readFileSync(file, 'utf8')): string[] {
  const sf = ts.createSourceFile(file, src, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && /\p{L}/u.test(node.text)) found.push(node.text.trim());
    if (ts.isJsxAttribute(node) && node.initializer) {
      const name = node.name.getText(sf);
      if (VISIBLE_PROPS.has(name)) {
        const init = node.initializer;
        const lit = ts.isStringLiteral(init)
          ? init
          : ts.isJsxExpression(init) && init.expression && (ts.isStringLiteral(init.expression) || ts.isNoSubstitutionTemplateLiteral(init.expression))
            ? init.expression
            : null;
        if (lit && /\p{L}/u.test(lit.text)) found.push(`${name}="${lit.text}"`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('components', () => {
  const dir = join(__dirname, '../../../renderer/src/components');
  // Every component, also in the feature areas' subfolders.
  const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.tsx'));

  it('finds the component files', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files)('%s has no hard-coded user-visible text', (f) => {
    expect(hardCodedStrings(join(dir, f))).toEqual([]);
  });

  it('the scanner itself catches text and labels but not t() calls', () => {
    const probe = [
      'const a = <Button aria-label="Close" title={t("x")}>Save now</Button>;',
      'const b = <Th label={\'Name\'}>{t("guests.col.name")} - </Th>;',
    ].join('\n');
    expect(hardCodedStrings('probe.tsx', probe)).toEqual(['aria-label="Close"', 'Save now', 'label="Name"']);
  });
});
