// PatternFly's CSS styles more than Domus can show. Its optional themes (high contrast, "felt",
// "glass": tokens for each, alone and with dark, component rules and the glass themes' background
// pictures) apply only with their class on <html>, and Domus sets only pf-v6-theme-dark
// (renderer/src/theme.ts). The table's tree view applies only to tree tables (isTreeTable), and
// Domus has none. A PostCSS step in the renderer build drops the selectors that need one of these
// classes, and rules left without a selector. Selectors that need such a class to be ABSENT
// (:not(.pf-v6-theme-glass), which is how PatternFly styles the default look) stay.

/** Class names (or prefixes, ending in -) that no element in Domus carries. */
export const UNUSED_CLASSES = [
  'pf-v6-theme-high-contrast',
  'pf-v6-theme-felt',
  'pf-v6-theme-glass',
  'pf-m-tree-view-',
  'pf-m-tree-view',
  'pf-v6-c-table__tree-view-',
] as const;

const NOT = /:not\((?:[^()]|\([^()]*\))*\)/g;
const UNUSED = new RegExp(
  `\\.(?:${UNUSED_CLASSES.map((c) => (c.endsWith('-') ? `${c}[\\w-]+` : c)).join('|')})(?![\\w-])`,
);

/** Whether a single selector (no top-level commas) can match only an element with an unused class. */
export function needsUnusedClass(selector: string): boolean {
  return UNUSED.test(selector.replace(NOT, ''));
}

interface CssRule {
  selectors: string[];
  remove(): void;
}

export function dropUnusedCss() {
  return {
    postcssPlugin: 'domus-drop-unused-css',
    Rule(rule: CssRule) {
      const kept = rule.selectors.filter((s) => !needsUnusedClass(s));
      if (kept.length === 0) rule.remove();
      else if (kept.length !== rule.selectors.length) rule.selectors = kept;
    },
  };
}
