/**
 * A partial update from the API (camelCase, `undefined` = not given) to the
 * columns of table T it sets. `columns` names the column of every field, with
 * an encoder where the stored form differs (JSON lists): a field of the patch
 * without a column, or a column the table does not have, is a type error.
 */
export type ColumnsOf<F, T> = {
  [K in keyof F]-?: (keyof T & string) | { column: keyof T & string; encode: (value: Exclude<F[K], undefined>) => unknown }
}

export function patchColumns<F extends object, T>(fields: F, columns: ColumnsOf<F, T>): Partial<T> {
  const set: Record<string, unknown> = {}
  for (const key of Object.keys(columns) as (keyof F)[]) {
    const value = fields[key]
    if (value === undefined) continue
    const target = columns[key]
    if (typeof target === 'string') set[target] = value
    else set[target.column] = target.encode(value as Exclude<F[keyof F], undefined>)
  }
  return set as Partial<T>
}
