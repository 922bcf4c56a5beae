/** Points carried over from another system (`POST /v1/imports`, `lojal import`): one line of NDJSON each. */

/** A line as it was read and checked: every field well formed; `expiresAt` null when the line gave none. */
export interface ImportLine {
  /** 1-based, counting every line of the text (blank ones too), so it names the line in the file. */
  line: number;
  customerId: string;
  /** Lower case, as member profiles keep it (D10); used only when the line creates the member. */
  email: string | null;
  points: number;
  expiresAt: Date | null;
  reference: string;
}

/**
 * Why a line was not applied. `invalid_json`: not one JSON value; `validation_failed`: not an import line (a field
 * missing, of the wrong type or out of its range, one no line has, an `expiresAt` not in the future);
 * `reference_reused`: the shop imported this reference before (or earlier in the same text) with other data;
 * `out_of_range`: the member's balance or lifetime figures would pass 2^53 − 1 (D1).
 */
export const IMPORT_LINE_CODES = ['invalid_json', 'validation_failed', 'reference_reused', 'out_of_range'] as const;
export type ImportLineCode = (typeof IMPORT_LINE_CODES)[number];

export interface ImportLineError {
  line: number;
  code: ImportLineCode;
  detail: string;
}

/** What an import did: lines applied, lines already imported with the same data, lines refused (in line order). */
export interface ImportResult {
  applied: number;
  duplicates: number;
  /** Members the import created (customer ids the shop had not sent before). */
  membersCreated: number;
  errors: ImportLineError[];
}

/** An import entry already in the ledger, as a line is compared with it (`customerId` null: the member was erased). */
export interface Imported {
  reference: string;
  customerId: string | null;
  points: number;
  expiresAt: Date | null;
}
