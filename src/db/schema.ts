/**
 * The Kysely view of the database. Portable between SQLite and PostgreSQL:
 * text ids made by the app, ISO-8601 text timestamps, JSON kept as text,
 * booleans as integers 0/1.
 */
import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely'

export type Side = 'association' | 'company'
export type EventStatus = 'draft' | 'open' | 'scheduled' | 'live' | 'closed'
/** admin and organiser: the whole network; accueil and salle: one event; lab: the networks that granted it */
export type TokenRole = 'admin' | 'organiser' | 'accueil' | 'salle' | 'lab'
export type WishLevel = 'must' | 'like' | 'avoid'
export type Attendance = 'registered' | 'present' | 'absent' | 'walk-in'
/** What a new rotation does with a pair that met before in the network (migration 2026-11-26-05-memory). */
export type MetBeforePolicy = 'forbid' | 'penalise' | 'allow'
/** A column with a database default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>

/** The tenant of a shared deployment: an agglomeration's office, a regional lab, a CSR club. */
export interface NetworkTable {
  id: string
  name: string
  email: string | null
  created_at: string
}

/** One account = one token; only a SHA-256 hash of each token is stored. */
export interface TokenTable {
  id: string
  role: TokenRole
  /** set for admin, organiser, accueil and salle */
  network_id: string | null
  /** set for accueil and salle: the one event they work on */
  event_id: string | null
  /** set for lab tokens */
  lab_id: string | null
  label: string
  token_hash: string
  created_at: string
  /** token id of who created it (null: the command line) */
  created_by: string | null
  last_used_at: string | null
  revoked_at: string | null
  revoked_by: string | null
}

export interface LabTable {
  id: string
  name: string
  created_at: string
}

/** One failed login (POST /connexion answered 401), by client address. */
export interface LoginFailureTable {
  id: string
  address: string
  at: string
}

/** A network lets a lab read its aggregates and pseudonymised exports. */
export interface LabGrantTable {
  id: string
  lab_id: string
  network_id: string
  granted_at: string
  granted_by: string
  withdrawn_at: string | null
  withdrawn_by: string | null
  /** 1: the lab may export with its own stable key; 0: a fresh salt per export */
  stable_pseudonyms: number
}

/** An organisation lives across events. */
export interface OrganisationTable {
  id: string
  /** organisations belong to one network's directory */
  network_id: string | null
  kind: Side
  name: string
  /** normalised name (src/domain/names.ts), what organisations are matched and searched by */
  name_key: string
  /** SIREN for companies (9 digits), RNA for associations (W + 9 digits) */
  siren: string | null
  rna: string | null
  sector: string | null
  size: string | null
  town: string | null
  postcode: string | null
  latitude: number | null
  longitude: number | null
  /** JSON arrays of vocabulary codes (data/vocabularies) */
  themes: string
  territories: string
  offers: string
  needs: string
  description: string | null
  contact_name: string | null
  contact_email: string | null
  /** organisations of one group (a company and its foundation) are never paired */
  group_name: string | null
  created_at: string
  updated_at: string
}

export interface EventTable {
  id: string
  network_id: string
  title: string
  /** YYYY-MM-DD */
  date: string
  venue: string | null
  /** HH:MM */
  start_time: string | null
  rounds: number
  meeting_minutes: number
  transition_minutes: number
  /** JSON: [{ afterRound, minutes }] */
  breaks: string
  tables: number | null
  seated_side: Side
  status: EventStatus
  created_at: string
  updated_at: string
  /** pairs that met at an earlier event of the network: forbid (default), penalise or allow */
  met_before: Defaulted<MetBeforePolicy>
  /** score taken off a penalised pair (scores are >= 0) */
  met_before_penalty: Defaulted<number>
  /** pairs in a partnership not abandoned, in any event of the network */
  active_partnerships: Defaulted<MetBeforePolicy>
  /** hidden from the lists when set; figures kept */
  archived_at: Defaulted<string | null>
}

export interface RegistrationTable {
  id: string
  event_id: string
  organisation_id: string
  person_name: string
  person_email: string | null
  /** first and last round present, inclusive; null = all night */
  arrive_round: number | null
  leave_round: number | null
  min_meetings: number | null
  max_meetings: number | null
  attendance: Attendance
  /** SHA-256 of the participant's personal link secret */
  secret_hash: string
  created_at: string
}

export interface WishTable {
  id: string
  event_id: string
  from_registration_id: string
  to_registration_id: string
  level: WishLevel
  set_by: 'organiser' | 'participant'
  created_at: string
}

/** Pairs never to be matched: existing partnership or declared conflict (event_id null = every event). */
export interface ExclusionTable {
  id: string
  network_id: string | null
  event_id: string | null
  association_id: string
  company_id: string
  reason: 'existing-partnership' | 'conflict' | 'same-organisation'
  note: string | null
  created_at: string
}

/** Every solver run, kept as a version. */
export interface ScheduleTable {
  id: string
  event_id: string
  version: number
  kind: 'full' | 'replan'
  /** first re-planned round, for kind 'replan' */
  from_round: number | null
  input_digest: string
  status: 'optimal' | 'feasible' | 'infeasible'
  objective: number
  bound: number
  fairness_level: number
  meeting_count: number
  idle_rounds: number
  solve_ms: number
  /** JSON of the solver's stats and reason */
  stats: string
  created_by: string
  created_at: string
  published: number
  /** JSON of every scoring weight the version was solved with; null = before migration 2026-11-26-08 */
  weights: Defaulted<string | null>
  /** 'default', or `<source>-<digest>` of adopted weights (src/domain/event-weights.ts) */
  weights_version: Defaulted<string | null>
  /** JSON of the trial's draw for this version (src/domain/trial.ts TrialDraw); null = not a trial */
  trial: Defaulted<string | null>
}

export interface MeetingTable {
  id: string
  schedule_id: string
  round: number
  table_no: number
  association_registration_id: string
  company_registration_id: string
  score: number
  /** JSON array of reasons in words */
  reasons: string
  /** short code printed on the cards, to type in a paper rating slip */
  short_code: string
  /** arm of the event's trial that scored the pair (src/domain/trial.ts); null = not a trial. Never shown to participants */
  arm: Defaulted<string | null>
}

export interface Database {
  networks: NetworkTable
  tokens: TokenTable
  labs: LabTable
  lab_grants: LabGrantTable
  login_failures: LoginFailureTable
  organisations: OrganisationTable
  events: EventTable
  registrations: RegistrationTable
  wishes: WishTable
  exclusions: ExclusionTable
  schedules: ScheduleTable
  meetings: MeetingTable
  event_settings: EventSettingsTable
  ratings: RatingTable
  proposals: ProposalTable
  partnerships: PartnershipTable
  partnership_history: PartnershipHistoryTable
  checkins: CheckinTable
  room_states: RoomStateTable
  registration_links: RegistrationLinkTable
  outbox: OutboxTable
  pair_extras: PairExtrasTable
  history_imports: HistoryImportTable
  trials: TrialTable
  event_weights: EventWeightsTable
  retention_runs: RetentionRunTable
  audit_log: AuditLogTable
}

export type Network = Selectable<NetworkTable>
export type Token = Selectable<TokenTable>
export type Organisation = Selectable<OrganisationTable>
export type NewOrganisation = Insertable<OrganisationTable>
export type OrganisationUpdate = Updateable<OrganisationTable>
export type Event = Selectable<EventTable>
export type NewEvent = Insertable<EventTable>
export type EventUpdate = Updateable<EventTable>
export type Registration = Selectable<RegistrationTable>
export type NewRegistration = Insertable<RegistrationTable>
export type Wish = Selectable<WishTable>
export type Schedule = Selectable<ScheduleTable>
export type Meeting = Selectable<MeetingTable>

// ---- After the meetings (migration 2026-11-24-02-followup) ----

export type RatingSource = 'participant' | 'slip' | 'csv' | 'history' | 'organiser'
export type ProposalStatus = 'proposed' | 'accepted' | 'dropped'
export type PartnershipStatus =
  | 'proposed'
  | 'contacted'
  | 'in_discussion'
  | 'agreement'
  | 'carried_out'
  | 'renewed'
  | 'abandoned'
export type CheckinMilestone = '2w' | '3m' | '6m' | '12m'
export type CheckinEvolution = 'no-contact' | 'in-progress' | 'agreement' | 'carried-out' | 'abandoned'

/** Per-event settings added after the core schema; no row = defaults. */
export interface EventSettingsTable {
  event_id: string
  rating_closed_at: string | null
  rating_closed_by: string | null
}

/** One rating per meeting and side. */
export interface RatingTable {
  id: string
  meeting_id: string
  side: Side
  registration_id: string
  took_place: number
  /** 1-5; null when the meeting did not take place */
  interest: number | null
  follow_up: number | null
  /** JSON array of partnership kind codes ('family' or 'family/kind') */
  kinds: string
  /** private: organisers only, never exported */
  note: string | null
  source: RatingSource
  created_at: string
  updated_at: string
}

export interface ProposalTable {
  id: string
  event_id: string
  /** 'follow-up' for pairs that met, 'missed' for missed connections */
  kind: 'follow-up' | 'missed'
  rank: number
  meeting_id: string | null
  association_registration_id: string
  company_registration_id: string
  mutual_interest: number | null
  score: number | null
  caller: Side
  /** YYYY-MM-DD */
  due_date: string
  reasons: string
  note: string | null
  status: ProposalStatus
  created_at: string
  updated_at: string
}

export interface PartnershipTable {
  id: string
  event_id: string
  origin: 'proposal' | 'meeting' | 'direct' | 'history'
  proposal_id: string | null
  meeting_id: string | null
  association_registration_id: string
  company_registration_id: string
  status: PartnershipStatus
  abandon_reason: string | null
  kinds: string
  value_money_eur: number | null
  value_staff_hours: number | null
  value_in_kind_eur: number | null
  started_on: string | null
  ended_on: string | null
  note: string | null
  created_by: string
  created_at: string
  updated_at: string
}

/** Append-only history of partnership status changes. */
export interface PartnershipHistoryTable {
  id: string
  partnership_id: string
  seq: number
  from_status: PartnershipStatus | null
  to_status: PartnershipStatus
  reason: string | null
  actor: string
  at: string
}

export interface CheckinTable {
  id: string
  partnership_id: string
  milestone: CheckinMilestone
  side: Side
  /** YYYY-MM-DD */
  due_on: string
  answered_at: string | null
  answered_by: string | null
  evolution: CheckinEvolution | null
  comment: string | null
}

export type Rating = Selectable<RatingTable>
export type Proposal = Selectable<ProposalTable>
export type Partnership = Selectable<PartnershipTable>
export type PartnershipHistory = Selectable<PartnershipHistoryTable>
export type Checkin = Selectable<CheckinTable>

/** The room screen's clock (migration 2026-11-24-03-room). */
export interface RoomStateTable {
  event_id: string
  /** 0 = before the first round; rounds + 1 = over */
  round: number
  /** 1 while the break after `round` is on */
  on_break: number
  /** ISO time the timer last started; null while paused */
  running_since: string | null
  elapsed_ms: number
  updated_at: string
}

export type RoomState = Selectable<RoomStateTable>

// ---- Personal links and e-mail (migration 2026-11-26-03-reach) ----

/**
 * The version of a registration's personal link, derived from the server secret
 * (src/domain/links.ts); no row = version 0. Kept beside registrations so that
 * the registration rows and their many builders do not change.
 */
export interface RegistrationLinkTable {
  registration_id: string
  version: number
  updated_at: string
}

export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed'

/** One e-mail; `body_*` hold LINK_PLACEHOLDER (src/domain/mail/messages.ts) where the personal link goes. */
export interface OutboxTable {
  id: string
  network_id: string
  event_id: string | null
  registration_id: string | null
  kind: string
  to_address: string
  to_name: string | null
  subject: string
  body_text: string
  body_html: string | null
  /** the calendar file attached, if any */
  ics: string | null
  /** digest of the programme the message gave (invitation, reminder, programme change), to tell when it changed */
  programme_digest: string | null
  status: OutboxStatus
  attempts: number
  next_attempt_at: string
  /** when a sender took it (status 'sending') */
  claimed_at: string | null
  last_error: string | null
  created_at: string
  sent_at: string | null
  /** unique: the same message is never queued twice */
  dedupe_key: string
}

export type OutboxMessage = Selectable<OutboxTable>

// ---- Lab predictors (migration 2026-11-26-04-lab) ----

/**
 * What a history file told about a pair beyond the schedule and the ratings;
 * no row = nothing more (pairs of events run in the app).
 */
export interface PairExtrasTable {
  event_id: string
  association_registration_id: string
  company_registration_id: string
  /** 0: the file gave no score (the meeting's score column then holds a placeholder 0, read as null) */
  score_known: number
  /** JSON object name -> number: lab-supplied predictors (`predictor:NAME` columns); a missing value is an absent key */
  predictors: string
  /** JSON object name -> text: the file's other columns */
  covariates: string
  /** interest scale of the file, 'lo-hi' (e.g. '1-10'); null = 1-5 */
  interest_scale: string | null
  /** each side's interest as given on that scale (ratings.interest keeps it only on a 1-5 integer scale) */
  a_interest_given: number | null
  c_interest_given: number | null
  /** 0: outcome `unknown` (left out of conversion denominators) */
  outcome_known: number
  /** 0: the outcome had no date (days-to figures are null) */
  outcome_dated: number
  /** arm of a randomised comparison of strategies (e.g. 'engine', 'engine-no-wishes', 'random', 'rotation'); null = not in a trial */
  arm: string | null
}

/** An event run as a randomised comparison of matching strategies. */
export interface TrialTable {
  event_id: string
  /** unit randomised to an arm: the whole event, or blocks of participants within it */
  assignment: 'event' | 'participant-block'
  /** seed of the draw, as recorded */
  seed: string
  created_at: string
  /** JSON array of the arms (strategies) in the trial; '[]' for trials imported before migration 2026-11-26-08 */
  arms: Defaulted<string>
  /** who set it up (null: a history import) */
  created_by: Defaulted<string | null>
}

/** Scoring weights adopted for an event (migration 2026-11-26-08); no row = the default weights. */
export interface EventWeightsTable {
  event_id: string
  /** JSON of every weight (solver/types.ts Weights, none missing) */
  weights: string
  /** learned from the network's outcomes (GET /api/lab/weights), or given by hand */
  source: 'learned' | 'manual'
  /** `<source>-<first 10 hex of the SHA-256 of the canonical JSON>` */
  version: string
  created_at: string
  created_by: string
}

/** Content digest (SHA-256) of each history file imported, per network. */
export interface HistoryImportTable {
  network_id: string
  digest: string
  event_id: string
  created_at: string
}

// ---- Personal data (migration 2026-11-26-06-privacy) ----
// The columns that migration adds to networks, organisations and registrations
// are typed in src/domain/privacy/db.ts only: rows built whole elsewhere
// (seeds, imports, tests) need not know them.

/** One row per event whose participants' personal data the retention job erased. */
export interface RetentionRunTable {
  event_id: string
  network_id: string
  /** YYYY-MM-DD the event became due */
  purge_on: string
  erased_registrations: number
  done_at: string
}

/** Who did what to personal data; `details` is JSON without personal data. */
export interface AuditLogTable {
  id: string
  network_id: string
  /** `role:token id`, `participant:registration id`, `lab:lab id` or `system:retention` */
  actor: string
  action: string
  /** e.g. `registration:<id>`, `event:<id>` */
  target: string
  at: string
  details: string
}
