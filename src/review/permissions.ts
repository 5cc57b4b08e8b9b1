// Who may do what to a session's review (DESIGN §6, §8.3): nobody approves or resolves a session in
// which one of their identities acted, nobody approves twice, and only reviewers act. Pure; the API
// asks this before every action, and the session page shows `whyNot`.
import type { ReviewStatus } from './state.js';

export interface Identity {
  readonly username: string;
  /** '*' for any device type. */
  readonly deviceType: string;
}

export interface Reviewer {
  readonly name: string;
  readonly role: 'viewer' | 'reviewer' | 'admin';
  /** Linked identities. The Countersign name itself always counts as an identity on every device. */
  readonly identities: readonly Identity[];
  /** False while a required second factor is not enrolled (auth.requireTotpFor). */
  readonly mayAct: boolean;
}

export interface SessionActors {
  /** Every user name that acted in the session: the login user and each event's acting user. */
  readonly users: readonly string[];
  readonly deviceType: string;
}

export interface Permissions {
  readonly canComment: boolean;
  readonly canApprove: boolean;
  readonly canFlag: boolean;
  readonly canResolve: boolean;
  /** Why approving (or, failing that, acting at all) is not allowed; null when it is. */
  readonly whyNot: string | null;
}

/** The reviewer's identity that acted in the session, if any. */
export const actedAs = (r: Reviewer, s: SessionActors): string | null => {
  const ids: Identity[] = [{ username: r.name, deviceType: '*' }, ...r.identities];
  for (const u of s.users) if (ids.some((i) => i.username === u && (i.deviceType === '*' || i.deviceType === s.deviceType))) return u;
  return null;
};

export const permissions = (r: Reviewer, s: SessionActors, status: ReviewStatus): Permissions => {
  if (r.role === 'viewer') return { canComment: false, canApprove: false, canFlag: false, canResolve: false, whyNot: 'viewers can read, not review' };
  if (!r.mayAct) return { canComment: false, canApprove: false, canFlag: false, canResolve: false, whyNot: 'enrol a second factor (TOTP) before reviewing' };
  const own = actedAs(r, s);
  const mine = status.approvals.some((a) => a.user === r.name && a.current);
  const whyNot =
    own !== null
      ? `you acted in this session (as ${own}); someone else must review it`
      : status.flagOpen
        ? 'the session is flagged: resolve the discussion first'
        : mine
          ? 'you have already approved this session'
          : null;
  return { canComment: true, canApprove: whyNot === null, canFlag: true, canResolve: own === null && status.flagOpen, whyNot };
};
