// The window's rule form (renderer/src/features/alerts/rule-draft.ts): problems land at the field they are about.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { draftOf, EMPTY_DRAFT, errorsOfRefusal, newRuleId, ruleOf } from '../../../../renderer/src/features/alerts/rule-draft';

test('a draft with problems gives one message per field, in words, and no rule', () => {
  const r = ruleOf({ ...EMPTY_DRAFT, name: ' ', count: '-2', minutes: 'five' }, 'x');
  assert.deepEqual(r, { errors: { name: 'Give the rule a name.', count: 'Count must be at least 1.', minutes: 'Minutes must be a number.' } });
  const q = ruleOf({ ...EMPTY_DRAFT, name: 'Logs', kind: 'logMatch', query: 'level:loud', count: '1' }, 'x');
  assert.ok('errors' in q && /^Unknown level "loud"/.test(q.errors.query ?? ''), JSON.stringify(q));
});

test('a good draft gives the rule with numbers and its scope; a rule read back gives the same draft', () => {
  const d = { ...EMPTY_DRAFT, name: 'Slow web', kind: 'latency' as const, p95Ms: '750', serviceId: ' web ', envId: 'docker:local' };
  const r = ruleOf(d, 'slow-web');
  assert.deepEqual(r as unknown, {
    rule: { id: 'slow-web', name: 'Slow web', kind: 'latency', p95Ms: 750, enabled: true, scope: { envId: 'docker:local', serviceId: 'web' } },
  });
  assert.ok('rule' in r);
  assert.deepEqual(ruleOf(draftOf(r.rule), 'slow-web'), r);
  assert.match(
    newRuleId('Slow web!', () => 0.5),
    /^slow-web-[a-z0-9]+$/,
  );
});

test("the engine's refusal is put at the field it names, else shown for the form", () => {
  assert.deepEqual(errorsOfRefusal('Invalid parameters for alerts.setRule: rule.count: Count must be at least 1.'), { count: 'Count must be at least 1.' });
  assert.deepEqual(errorsOfRefusal('name: another rule is already called "Crash loop"; the rule was not saved. Give it another name.'), {
    name: 'another rule is already called "Crash loop"; the rule was not saved. Give it another name.',
  });
  assert.deepEqual(errorsOfRefusal('Not connected to the Fleetdeck engine.'), { form: 'Not connected to the Fleetdeck engine.' });
});
