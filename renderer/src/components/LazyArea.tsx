// The parts of the UI that are not needed to show a host and its guests (the create wizard,
// consoles, CPU, PCI, graphs) are separate chunks, loaded when first shown: the first render
// reads and parses only what the host page needs.
import { Spinner } from './Spinner';
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** A named export of a module, loaded when first rendered. */
export function lazyNamed<M, K extends keyof M>(load: () => Promise<M>, name: K): M[K] {
  return lazy(() => load().then((m) => ({ default: m[name] as ComponentType<any> }))) as M[K];
}

/** Where a lazily loaded area appears: a small spinner until its code is there. */
export function LazyArea({ children, inline = false }: { children: ReactNode; inline?: boolean }) {
  const { t } = useTranslation();
  return <Suspense fallback={inline ? null : <Spinner size="lg" aria-label={t('common.loading')} />}>{children}</Suspense>;
}
