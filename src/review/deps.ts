// The review side as `serve` builds it: the policy (file or built-in), the service over the process's
// main-thread store connection (shared with the accounts, so review entries and account entries go
// through one ActionLog), and how a signed-in request becomes a Reviewer.
import { readFileSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import type { FastifyRequest } from 'fastify';
import type { ReviewRouteDeps } from '../api/review/routes.js';
import { signedInUser } from '../auth/request-user.js';
import { mayAct, type Accounts } from '../auth/users.js';
import type { Clock } from '../clock.js';
import { CS_ERR } from '../errors.js';
import type { ActionLog } from '../pipeline/action-log.js';
import { SqliteReviewStore } from '../store/sqlite/review-store.js';
import { SqliteTlogStore } from '../store/sqlite/tlog-store.js';
import type { Reviewer } from './permissions.js';
import { DEFAULT_POLICY_YAML, parsePolicy, type Policy } from './policy.js';
import { ReviewService } from './service.js';

export interface LoadedPolicy {
  readonly policy: Policy;
  readonly text: string;
}

/** The policy of `review.policyFile`, or the built-in one; a broken file is a configuration error (exit 2) naming its line. */
export const loadReviewPolicy = (file: string | undefined): LoadedPolicy => {
  if (file === undefined) {
    const p = parsePolicy(DEFAULT_POLICY_YAML, '(built-in policy)');
    if (!p.ok) throw new Error(p.error.reason);
    return { policy: p.value, text: DEFAULT_POLICY_YAML };
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw CS_ERR.configUnreadable(file, e);
  }
  const p = parsePolicy(text, file);
  if (!p.ok) throw CS_ERR.configInvalid(`${file}:${p.error.line}`, 'review policy', p.error.reason);
  return { policy: p.value, text };
};

export const reviewerFrom = (accounts: Accounts, req: FastifyRequest): Reviewer => {
  const u = signedInUser(req);
  return { name: u.name, role: u.role, identities: accounts.identitiesOf(u.name), mayAct: mayAct(u) };
};

export const reviewDepsOver = (
  db: BetterSqlite3.Database,
  o: { readonly policy: LoadedPolicy; readonly actions: ActionLog; readonly accounts: Accounts; readonly clock: Clock },
): ReviewRouteDeps => {
  const tlog = new SqliteTlogStore(db);
  const reviews = new ReviewService({
    store: new SqliteReviewStore(db),
    actions: o.actions,
    leafHash: (seq) => tlog.leafHash(seq),
    policy: o.policy.policy,
    policyText: o.policy.text,
    roleOf: (name) => o.accounts.roleOf(name),
    clock: o.clock,
  });
  return { reviews, reviewerOf: (req) => reviewerFrom(o.accounts, req) };
};
