// PatternFly 6's Tabs leave the keyboard to the app: every tab is a Tab stop and the arrow keys do
// nothing. Every tab set in Domus uses this instead, which adds the WAI-ARIA tabs pattern: the
// selected tab is the set's one Tab stop (roving tabindex), Left/Right move to the previous/next
// tab and select it (wrapping), Home/End to the first/last. The tab list gets the set's name too
// (PatternFly puts aria-label on the wrapper only, so screen readers announce an unnamed list).
import { Tabs, type TabProps, type TabsProps } from '@patternfly/react-core';
import { Children, cloneElement, isValidElement, type JSXElementConstructor, type KeyboardEvent, type ReactElement } from 'react';

type TabElement = ReactElement<TabProps, JSXElementConstructor<TabProps>>;

const MOVES: Record<string, (i: number, n: number) => number> = {
  ArrowRight: (i, n) => (i + 1) % n,
  ArrowLeft: (i, n) => (i - 1 + n) % n,
  Home: () => 0,
  End: (_i, n) => n - 1,
};

/** Moves focus and selection within the tab list the key was pressed in. */
function moveTab(e: KeyboardEvent<HTMLElement>) {
  const from = e.target as HTMLElement;
  const move = MOVES[e.key];
  if (!move || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || from.getAttribute('role') !== 'tab') return;
  const list = from.closest('[role="tablist"]');
  if (!list) return;
  const tabs = [...list.querySelectorAll<HTMLElement>('[role="tab"]')].filter((t) => !t.matches(':disabled, [aria-disabled="true"]'));
  const i = tabs.indexOf(from);
  if (i < 0) return;
  const to = tabs[move(i, tabs.length)]!;
  e.preventDefault();
  to.focus();
  // Selection follows focus: the tab's own click handler selects it (and calls onSelect).
  if (to.getAttribute('aria-selected') !== 'true') to.click();
}

export function KeyboardTabs({ children, activeKey, onKeyDown, tabListAriaLabel, ...rest }: Omit<TabsProps, 'ref'>) {
  const tabs = Children.toArray(children).filter(isValidElement) as TabElement[];
  const enabled = tabs.filter((c) => !c.props.isDisabled && !c.props.isAriaDisabled);
  // When the active key names no tab (yet), the first usable one keeps the set reachable.
  const stop = enabled.some((c) => c.props.eventKey === activeKey) ? activeKey : enabled[0]?.props.eventKey;
  return (
    <Tabs
      {...rest}
      activeKey={activeKey}
      tabListAriaLabel={tabListAriaLabel ?? rest['aria-label']}
      onKeyDown={(e) => {
        onKeyDown?.(e);
        moveTab(e);
      }}
    >
      {tabs.map((c) => cloneElement(c, { tabIndex: c.props.eventKey === stop ? 0 : -1 }) as TabElement)}
    </Tabs>
  );
}
