/**
 * The same instance seen from the other side: companies become the "associations" of the model and
 * the other way round. The selection flow relaxes the per-round constraints on one side only (its
 * round layer holds each company's meetings in the rounds it is present, at most `tables` per round);
 * solved on the transposed model it holds each association's meetings in its rounds instead. Both
 * are valid relaxations of the schedule, so the smaller of the two bounds is proven too, and with
 * presence windows either can be the tight one.
 */
import type { Model } from '../model.ts'
import type { Selection } from './select.ts'

/** Participant p of the transposed model is participant original(p) of the model. */
export function transposeModel(model: Model): Model {
  const { nA, nC } = model
  const P = nA + nC
  const original = (p: number): number => (p < nC ? nA + p : p - nC)
  const permute = (x: Int32Array): Int32Array => {
    const out = new Int32Array(P)
    for (let p = 0; p < P; p++) out[p] = x[original(p)]!
    return out
  }
  const score = new Float64Array(nA * nC)
  const allowed = new Uint8Array(nA * nC)
  for (let a = 0; a < nA; a++) {
    for (let c = 0; c < nC; c++) {
      score[c * nA + a] = model.score[a * nC + c]!
      allowed[c * nA + a] = model.allowed[a * nC + c]!
    }
  }
  return {
    ...model,
    nA: nC,
    nC: nA,
    ids: Array.from({ length: P }, (_, p) => model.ids[original(p)]!),
    arrive: permute(model.arrive),
    leave: permute(model.leave),
    maxMeetings: permute(model.maxMeetings),
    minMeetings: permute(model.minMeetings),
    score,
    allowed,
    required: model.required.map(([a, c]) => [c, a]),
    fixed: model.fixed.map((f) => ({ ...f, a: f.c, c: f.a })),
  }
}

/** A selection of the transposed model, in the model's own numbering. */
export function transposeBack(model: Model, selection: Selection): Selection {
  const { nA, nC } = model
  const P = nA + nC
  // participant p of the model is participant p + nC (association) or p - nA (company) of the transpose
  const transposed = (p: number): number => (p < nA ? p + nC : p - nA)
  const permute = (x: Int32Array): Int32Array => {
    const out = new Int32Array(P)
    for (let p = 0; p < P; p++) out[p] = x[transposed(p)]!
    return out
  }
  return {
    ...selection,
    // key c * nA + a of the transpose is a * nC + c here
    pairs: selection.pairs.map((k) => {
      const c = Math.floor(k / nA)
      return (k - c * nA) * nC + c
    }),
    potential: permute(selection.potential),
    degree: permute(selection.degree),
  }
}
