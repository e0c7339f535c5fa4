import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import postcss from 'postcss';
import { describe, expect, it } from 'vitest';
import { dropUnusedCss, needsUnusedClass } from '../../../renderer/build/unusedCss';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const require = createRequire(import.meta.url);
const pfCss = (p: string) => readFileSync(require.resolve(`@patternfly/react-styles/css/${p}`), 'utf8');

describe('the build step that drops PatternFly CSS Domus cannot use', () => {
  it('drops selectors that need an unused theme or a tree table, keeps those that need them absent', () => {
    expect(needsUnusedClass(':root:where(.pf-v6-theme-high-contrast)')).toBe(true);
    expect(needsUnusedClass(':root:where(.pf-v6-theme-dark.pf-v6-theme-felt)')).toBe(true);
    expect(needsUnusedClass(':where(:root.pf-v6-theme-glass) .pf-v6-c-table:not(.pf-m-no-plain-on-glass)')).toBe(true);
    expect(needsUnusedClass('.pf-v6-c-table.pf-m-tree-view-grid-md tr')).toBe(true);
    expect(needsUnusedClass('.pf-v6-c-table__tree-view-main')).toBe(true);
    // The default look: PatternFly says "not glass", and the dark theme Domus follows.
    expect(needsUnusedClass(':where(:root:not(.pf-v6-theme-glass)) .pf-v6-c-table.pf-m-plain')).toBe(false);
    expect(needsUnusedClass(':root:where(.pf-v6-theme-dark)')).toBe(false);
    expect(needsUnusedClass('.pf-v6-c-table.pf-m-grid-md tr')).toBe(false);
    expect(needsUnusedClass('.pf-v6-theme-glassy')).toBe(false);
  });

  it('on the real PatternFly CSS: the unused themes go, light, dark and the plain table stay', async () => {
    const base = readFileSync(require.resolve('@patternfly/react-core/dist/styles/base.css'), 'utf8');
    const css = `${base}\n${pfCss('components/Table/table.css')}\n${pfCss('components/Table/table-tree-view.css')}`;
    const out = (await postcss([dropUnusedCss()]).process(css, { from: undefined })).root;
    const selectors: string[] = [];
    out.walkRules((r) => void selectors.push(...r.selectors));
    expect(selectors.filter(needsUnusedClass)).toEqual([]);
    expect(selectors).toContain(':root');
    expect(selectors).toContain(':root:where(.pf-v6-theme-dark)');
    expect(selectors).toContain(':where(:root:not(.pf-v6-theme-glass)) .pf-v6-c-table.pf-m-plain');
    // A rule whose selector list mixes both keeps the part that can apply.
    expect(selectors).toContain('.pf-v6-c-table');
    // The glass themes' background pictures are no longer referenced, so the build leaves them out.
    expect(out.toString()).not.toMatch(/Bkg-Generic/);
    expect(out.toString().length).toBeLessThan(css.length * 0.8);
  });

  it('the renderer sets none of those classes: no other theme, no tree table', () => {
    const files = readdirSync(path.join(ROOT, 'renderer', 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => /\.(tsx?|css)$/.test(f));
    const offending = files.filter((f) =>
      /isTreeTable|pf-v6-theme-(?:high-contrast|felt|glass)|pf-m-tree-view/.test(readFileSync(path.join(ROOT, 'renderer', 'src', f), 'utf8')),
    );
    expect(offending).toEqual([]);
  });
});
