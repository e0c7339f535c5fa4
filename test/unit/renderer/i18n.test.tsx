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
  'aria-valuetext',
  'aria-roledescription',
  'variantLabel',
  'toggleAriaLabel',
  'closeBtnAriaLabel',
  'submitSearchButtonLabel',
  'nextNavigationButtonAriaLabel',
  'previousNavigationButtonAriaLabel',
]);

/** Keys of an object literal (props spread, options) whose values screen readers speak. */
const SPOKEN_KEYS = new Set(['aria-label', 'ariaLabel', 'aria-valuetext', 'screenReaderText']);

/** Text with letters in a string or template literal of `expr`, except inside calls (t('key')). */
function literalTexts(expr: ts.Node): string[] {
  const out: string[] = [];
  const visit = (n: ts.Node) => {
    // Calls (t('key')), nested elements (their own text is checked where it stands) and lookups.
    if (ts.isCallExpression(n) || ts.isJsxElement(n) || ts.isJsxSelfClosingElement(n) || ts.isJsxFragment(n) || ts.isElementAccessExpression(n)) return;
    // A condition's test and a comparison decide; only the branches are shown.
    if (ts.isConditionalExpression(n)) return [n.whenTrue, n.whenFalse].forEach(visit);
    if (ts.isBinaryExpression(n) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(n.operatorToken.kind)) return;
    if ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) && /\p{L}/u.test(n.text)) out.push(n.text);
    if (ts.isTemplateExpression(n)) {
      const parts = [n.head.text, ...n.templateSpans.map((sp) => sp.literal.text)].join('');
      if (/\p{L}/u.test(parts)) out.push(n.getText());
    }
    ts.forEachChild(n, visit);
  };
  visit(expr);
  return out;
}

function hardCodedStrings(file: string, src = readFileSync(file, 'utf8')): string[] {
  const sf = ts.createSourceFile(file, src, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && /\p{L}/u.test(node.text)) found.push(node.text.trim());
    if (ts.isJsxAttribute(node) && node.initializer) {
      const name = node.name.getText(sf);
      if (VISIBLE_PROPS.has(name)) {
        // A literal, or one inside a condition, a fallback (??, ||) or a template: all shown.
        for (const text of literalTexts(node.initializer)) found.push(`${name}="${text}"`);
      }
    }
    if (ts.isPropertyAssignment(node) && SPOKEN_KEYS.has(node.name.getText(sf).replace(/^['"]|['"]$/g, ''))) {
      for (const text of literalTexts(node.initializer)) found.push(`${node.name.getText(sf).replace(/^['"]|['"]$/g, '')}: "${text}"`);
    }
    if (ts.isCallExpression(node) && /\.setAttribute$/.test(node.expression.getText(sf)) && node.arguments.length === 2) {
      const [attr, value] = node.arguments;
      if (ts.isStringLiteral(attr) && (VISIBLE_PROPS.has(attr.text) || SPOKEN_KEYS.has(attr.text))) {
        for (const text of literalTexts(value)) found.push(`setAttribute ${attr.text}="${text}"`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('components', () => {
  const dir = join(__dirname, '../../../renderer/src');
  // Every file of the renderer that can hold JSX or labels, also in the feature areas' subfolders.
  const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'));

  it('finds the component files', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files)('%s has no hard-coded user-visible text', (f) => {
    expect(hardCodedStrings(join(dir, f))).toEqual([]);
  });

  // PatternFly's Alert speaks "Danger alert:", its Modal's close button "Close" and its Spinner
  // "Loading...", in English whatever the language; Domus's own say them in the UI's language.
  const WRAPPED = ['Alert', 'Modal', 'Spinner'];
  it.each(files)('%s takes Alert, Modal and Spinner from Domus, not from PatternFly', (f) => {
    if (/(^|\/)components\/(Alert|Modal|Spinner)\.tsx$/.test(f)) return;
    const src = readFileSync(join(dir, f), 'utf8');
    const fromPatternFly = [...src.matchAll(/import \{([^}]*)\} from '@patternfly\/react-core'/g)].flatMap((m) => m[1].split(',').map((n) => n.trim()));
    expect(fromPatternFly.filter((n) => WRAPPED.includes(n))).toEqual([]);
  });

  // A SearchInput's buttons carry English labels unless given: clear always, the others with
  // the handler that shows them.
  it.each(files)('%s labels every button of its search inputs', (f) => {
    const sf = ts.createSourceFile(f, readFileSync(join(dir, f), 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
    const missing: string[] = [];
    const visit = (n: ts.Node) => {
      if ((ts.isJsxSelfClosingElement(n) || ts.isJsxOpeningElement(n)) && n.tagName.getText(sf) === 'SearchInput') {
        const props = new Set(n.attributes.properties.map((p) => (ts.isJsxAttribute(p) ? p.name.getText(sf) : '')));
        const need = ['resetButtonLabel'];
        if (props.has('onSearch')) need.push('submitSearchButtonLabel');
        if (props.has('onNextClick')) need.push('nextNavigationButtonAriaLabel');
        if (props.has('onPreviousClick')) need.push('previousNavigationButtonAriaLabel');
        missing.push(...need.filter((p) => !props.has(p)));
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
    expect(missing).toEqual([]);
  });

  it('the scanner itself catches text and labels but not t() calls', () => {
    const probe = [
      'const a = <Button aria-label="Close" title={t("x")}>Save now</Button>;',
      'const b = <Th label={\'Name\'}>{t("guests.col.name")} - </Th>;',
    ].join('\n');
    expect(hardCodedStrings('probe.tsx', probe)).toEqual(['aria-label="Close"', 'Save now', 'label="Name"']);
    const hidden = [
      'const c = <Td aria-label={open ? t("x") : \'Expand row\'} title={state === \'on\' ? t("a") : t("b")} />;',
      'const d = <Progress aria-valuetext={`${n} percent`} aria-label={label ?? "Progress"} />;',
      'const e = { \'aria-label\': \'Terminal input\', label: \'data\' };',
      'el.setAttribute(\'aria-label\', \'Scroll back\'); el.setAttribute(\'aria-label\', t(\'k\'));',
      'const f = <Alert title={t("x")} variantLabel="Danger alert:" actionClose={<Close className="pf-x" />} />;',
    ].join('\n');
    expect(hardCodedStrings('probe.tsx', hidden)).toEqual([
      'aria-label="Expand row"',
      'aria-valuetext="`${n} percent`"',
      'aria-label="Progress"',
      'aria-label: "Terminal input"',
      'setAttribute aria-label="Scroll back"',
      'variantLabel="Danger alert:"',
    ]);
  });
});
