import { randomUUID } from 'node:crypto'

/** App-generated text ids, the same on SQLite and PostgreSQL. */
export function newId(): string {
  return randomUUID()
}
