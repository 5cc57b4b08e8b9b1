import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, sampled, type SessionFacts } from './decide.js';
import { actedAs, permissions, type Reviewer } from './permissions.js';
import { defaultPolicy, parsePolicy } from './policy.js';
import { reviewStatus, type ReviewAction } from './state.js';

const facts = (over: Partial<SessionFacts> = {}): SessionFacts => ({
  id: 7, host: 'web-1', user: 'alice', deviceType: 'linux', riskLevel: 'none', status: 'closed', startedAt: 1_000, endedAt: 2_000, commands: ['ls'], ...over,
});

const reviewers = new Map([['bob', 'reviewer'], ['carol', 'reviewer'], ['dave', 'admin'], ['vic', 'viewer']]);
const inGroupWith = (groups: Record<string, string[]>) => (u: string, g: string): boolean =>
  g === 'reviewers' ? ['reviewer', 'admin'].includes(reviewers.get(u) ?? '') : (groups[g] ?? []).includes(u);

let seq = 100;
const act = (action: ReviewAction['action'], user: string, over: Partial<ReviewAction> = {}): ReviewAction => ({
  seq: seq++, action, user, at: seq, digest: 'd1', eventCount: 5, eventId: null, body: null, ...over,
});

describe('the default policy (DESIGN §6)', () => {
  const p = defaultPolicy();
  it('needs one approval for a hit, two for critical, none without', () => {
    expect(decide(p, facts({ riskLevel: 'medium' })).required).toEqual([{ group: 'reviewers', count: 1 }]);
    expect(decide(p, facts({ riskLevel: 'critical' })).required).toEqual([{ group: 'reviewers', count: 2 }]);
    expect(decide(p, facts({ riskLevel: 'none' })).required).toEqual([]);
    expect(decide(p, facts({ riskLevel: 'critical' })).dueAt).toBe(2_000 + 4 * 3_600_000);
  });
});

describe('policy files', () => {
  const text = `
groups:
  leads: [carol]
hostGroups:
  core: ["core-*", "edge-*"]
userGroups:
  contractors: ["ext-*"]
allowlists:
  - name: read-only
    commands: ["ls( .*)?", "cat .*", "show .*"]
rules:
  - name: core-changes
    when: { hostGroup: core, minRisk: low }
    require: [{ group: reviewers, count: 1 }, { group: leads, count: 1 }]
  - name: contractors
    when: { userGroup: contractors }
    require: 1
  - name: quiet
    when: { risk: none }
    require: 1
    sample: 0.5
    autoApprove: read-only
`;
  const p = parsePolicy(text, 'p.yaml');
  if (!p.ok) throw new Error(p.error.reason);
  it('routes by host group and user group, first rule wins', () => {
    expect(decide(p.value, facts({ host: 'core-3', riskLevel: 'high' })).policy).toBe('core-changes');
    expect(decide(p.value, facts({ host: 'core-3', riskLevel: 'none', user: 'ext-joe' })).policy).toBe('contractors');
  });
  it('samples the same session the same way every time, at about the rate asked', () => {
    let drawn = 0;
    for (let id = 0; id < 2000; id++) if (sampled('quiet', id, 0.5)) drawn++;
    expect(drawn).toBeGreaterThan(850);
    expect(drawn).toBeLessThan(1150);
    fc.assert(fc.property(fc.integer(), (id) => sampled('quiet', id, 0.5) === sampled('quiet', id, 0.5)));
  });
  it('auto-approves a closed session whose every command is on the allowlist, never an open one', () => {
    const id = [...Array(50).keys()].find((i) => sampled('quiet', i, 0.5))!;
    expect(decide(p.value, facts({ id, commands: ['ls -la', 'cat /etc/hosts'] })).autoApprove).toBe('read-only');
    expect(decide(p.value, facts({ id, commands: ['ls -la', 'rm -rf /tmp/x'] })).autoApprove).toBeNull();
    expect(decide(p.value, facts({ id, commands: ['ls'], status: 'open', endedAt: null })).autoApprove).toBeNull();
    expect(decide(p.value, facts({ id, commands: [] })).autoApprove).toBeNull();
  });
  it('refuses a broken policy with the line', () => {
    const bad = parsePolicy('rules:\n  - name: x\n    require: [{ group: nobody, count: 1 }]\n', 'bad.yaml');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatchObject({ file: 'bad.yaml', line: 3, reason: expect.stringContaining("unknown group 'nobody'") });
    const typo = parsePolicy('rules:\n  - name: x\n    requier: 1\n', 'typo.yaml');
    expect(typo.ok).toBe(false);
    if (!typo.ok) expect(typo.error).toMatchObject({ line: 3, reason: expect.stringContaining('requier') });
    const kind = parsePolicy('rules:\n  - name: x\n    require: many\n', 'kind.yaml');
    if (!kind.ok) expect(kind.error).toMatchObject({ line: 3, reason: expect.stringContaining('a number of approvals') });
    expect(kind.ok).toBe(false);
    const re = parsePolicy('allowlists:\n  - name: a\n    commands: ["(unclosed"]\n', 're.yaml');
    expect(re.ok).toBe(false);
    if (!re.ok) expect(re.error.line).toBe(3);
  });
});

describe('review state', () => {
  const one = [{ group: 'reviewers', count: 1 }];
  const peerAndLead = [{ group: 'reviewers', count: 1 }, { group: 'leads', count: 1 }];
  const inGroup = inGroupWith({ leads: ['carol'] });
  it('a two-approval session stays pending after one', () => {
    const two = [{ group: 'reviewers', count: 2 }];
    expect(reviewStatus(two, [act('approve', 'bob')], { eventCount: 5 }, inGroup)).toMatchObject({ state: 'needs_review', approvalCount: 1, needed: 2 });
    expect(reviewStatus(two, [act('approve', 'bob'), act('approve', 'carol')], { eventCount: 5 }, inGroup).state).toBe('approved');
  });
  it('one person cannot fill both the peer and the lead slot', () => {
    expect(reviewStatus(peerAndLead, [act('approve', 'carol')], { eventCount: 5 }, inGroup).state).toBe('needs_review');
    expect(reviewStatus(peerAndLead, [act('approve', 'carol'), act('approve', 'bob')], { eventCount: 5 }, inGroup).state).toBe('approved');
    // Order does not matter: the matching reassigns carol to the lead slot.
    expect(reviewStatus(peerAndLead, [act('approve', 'bob'), act('approve', 'carol')], { eventCount: 5 }, inGroup).state).toBe('approved');
    expect(reviewStatus(peerAndLead, [act('approve', 'bob'), act('approve', 'dave')], { eventCount: 5 }, inGroup).state).toBe('needs_review');
  });
  it('a viewer approval or an approval on an older session does not count', () => {
    expect(reviewStatus(one, [act('approve', 'vic')], { eventCount: 5 }, inGroup).state).toBe('needs_review');
    const s = reviewStatus(one, [act('approve', 'bob')], { eventCount: 6 }, inGroup);
    expect(s).toMatchObject({ state: 'needs_review', changedSinceApproval: true, approvalCount: 0 });
    expect(reviewStatus(one, [act('approve', 'bob')], { eventCount: 5, digest: 'other' }, inGroup).changedSinceApproval).toBe(true);
  });
  it('flag, then resolve', () => {
    const flagged = reviewStatus(one, [act('approve', 'bob'), act('flag', 'carol', { body: 'why?' })], { eventCount: 5 }, inGroup);
    expect(flagged.state).toBe('flagged');
    expect(reviewStatus(one, [act('approve', 'bob'), act('flag', 'carol'), act('resolve', 'dave')], { eventCount: 5 }, inGroup).state).toBe('approved');
  });
  it('a policy approval approves and names the policy', () => {
    const s = reviewStatus(one, [act('approve', 'policy:quiet/read-only')], { eventCount: 5 }, inGroup);
    expect(s).toMatchObject({ state: 'approved', approvedByPolicy: 'quiet/read-only', approvalCount: 0 });
  });
});

describe('permissions', () => {
  const bob: Reviewer = { name: 'bob', role: 'reviewer', identities: [{ username: 'adm-bob', deviceType: '*' }, { username: 'rbob', deviceType: 'junos' }], mayAct: true };
  const none = reviewStatus([{ group: 'reviewers', count: 1 }], [], { eventCount: 1 }, () => true);
  it('nobody approves a session one of their identities acted in', () => {
    expect(actedAs(bob, { users: ['root', 'adm-bob'], deviceType: 'linux' })).toBe('adm-bob');
    expect(actedAs(bob, { users: ['bob'], deviceType: 'linux' })).toBe('bob');
    expect(actedAs(bob, { users: ['rbob'], deviceType: 'linux' })).toBeNull();
    expect(actedAs(bob, { users: ['rbob'], deviceType: 'junos' })).toBe('rbob');
    const p = permissions(bob, { users: ['adm-bob'], deviceType: 'linux' }, none);
    expect(p).toMatchObject({ canApprove: false, canResolve: false, canComment: true, canFlag: true });
    expect(p.whyNot).toMatch(/you acted in this session/);
  });
  it('not twice, not a viewer, not without the second factor', () => {
    const approved = reviewStatus([{ group: 'reviewers', count: 2 }], [act('approve', 'bob', { eventCount: 1 })], { eventCount: 1 }, () => true);
    expect(permissions(bob, { users: ['alice'], deviceType: 'linux' }, approved).whyNot).toMatch(/already approved/);
    expect(permissions({ ...bob, role: 'viewer' }, { users: ['alice'], deviceType: 'linux' }, none).canComment).toBe(false);
    expect(permissions({ ...bob, mayAct: false }, { users: ['alice'], deviceType: 'linux' }, none).whyNot).toMatch(/second factor/);
    expect(permissions(bob, { users: ['alice'], deviceType: 'linux' }, none).canApprove).toBe(true);
  });
});
