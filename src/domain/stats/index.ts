/** Pure statistics for the lab: no I/O, no database. */
export * from './normal.ts'
export * from './auc.ts'
export * from './bootstrap.ts'
export * from './clustered-auc.ts'
export * from './logistic.ts'
export * from './calibration.ts'
export * from './power.ts'
export * from './predictors.ts'
