/** A copy of the set with item added (on) or removed, for immutable React state. */
export function withItem<T>(set: ReadonlySet<T>, item: T, on: boolean): Set<T> {
  const next = new Set(set);
  if (on) next.add(item);
  else next.delete(item);
  return next;
}
