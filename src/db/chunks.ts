/** `items` in consecutive slices of at most `size`: multi-row statements stay under the dialects' parameter limits. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
