/**
 * The contracts' limits, as the node has them: `api/limits.json` is written
 * from the node's own constants and checked against them by the node's
 * tests, so the dashboard never keeps a copy that could drift.
 */
import limits from '../../../api/limits.json';

/** The longest tenor the financing contract allows, in days. */
export const MAX_TENOR_DAYS: number = limits.maxTenorDays;
/** The longest grace period, in days. */
export const MAX_GRACE_DAYS: number = limits.maxGraceDays;
/** The longest cure period of a margin call, in days. */
export const MAX_CURE_DAYS: number = limits.maxCureDays;
/** The most rows one page of a list query returns. */
export const MAX_PAGE: number = limits.maxPage;
/** The longest a consortium proposal stays open for votes, in days. */
export const MAX_PROPOSAL_DAYS: number = limits.maxProposalDays;
/** The most supporting documents a proposal names. */
export const MAX_PROPOSAL_DOCUMENTS: number = limits.maxProposalDocuments;
/** The largest witness policy a proposal carries, in bytes. */
export const MAX_POLICY_BYTES: number = limits.maxPolicyBytes;
