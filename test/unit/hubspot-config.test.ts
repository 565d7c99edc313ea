import { describe, expect, it } from 'vitest';
import { reportSchema } from '../../src/scoreboard/kpi-config.js';
import { rateLimitWait } from '../../src/scoreboard/sources/hubspot/hubspot-transport.js';
import { checkSourceEnvironment } from '../../src/scoreboard/sources/source-environment.js';

function problems(source: Record<string, unknown>, unit = 'count'): string[] {
  const result = reportSchema.safeParse({ kpis: [{ id: 'crm', name: 'CRM', unit, currency: 'usd', source: { type: 'hubspot', ...source } }] });
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('hubspot source config', () => {
  it('takes a preset, or an object, with token_env defaulting to HUBSPOT_TOKEN', () => {
    const parsed = reportSchema.parse({ kpis: [{ id: 'mqls', name: 'MQLs', unit: 'count', source: { type: 'hubspot', preset: 'mqls' } }] });
    expect(parsed.kpis[0]!.source).toEqual({ type: 'hubspot', preset: 'mqls', filters: [], token_env: 'HUBSPOT_TOKEN' });
    expect(problems({ object: 'contacts', filters: [{ property: 'lifecyclestage', operator: 'IN', values: ['lead', 'marketingqualifiedlead'] }] })).toEqual([]);
  });

  it('names what does not fit, field by field', () => {
    expect(problems({})).toEqual(['kpis.0.source.object: give a preset (mqls, carr_closed, carr_projected) or an object (contacts, deals, companies)']);
    expect(problems({ preset: 'mqls', object: 'contacts' })).toEqual(['kpis.0.source.object: a preset names its own object; remove object (or the preset "mqls")']);
    expect(problems({ preset: 'mqls', pipelines: ['default'] })).toEqual(['kpis.0.source.pipelines: is an option of the presets carr_closed and carr_projected']);
    expect(problems({ preset: 'carr_closed', probabilities: { closedwon: 1 } }, 'money')).toEqual(['kpis.0.source.probabilities: is an option of the preset carr_projected']);
    expect(problems({ object: 'deals', aggregate: 'sum' })).toEqual(['kpis.0.source.property: aggregate: sum needs the property to sum']);
    // A property on a count would be silently ignored: it is an error instead.
    expect(problems({ object: 'contacts', property: 'num_notes' })).toEqual([
      'kpis.0.source.property: is summed only with aggregate: sum; a count counts records (to count those with a property set, use filters with HAS_PROPERTY)',
    ]);
    expect(problems({ object: 'contacts', aggregate: 'count', property: 'num_notes' })).toHaveLength(1);
    const filters = (count: number) => Array.from({ length: count }, (_, index) => ({ property: `p${index}`, operator: 'HAS_PROPERTY' }));
    // 6 filters in a search: 4 of the config's + 2 for the period's date is the most.
    expect(problems({ object: 'contacts', date_property: 'createdate', filters: filters(4) })).toEqual([]);
    expect(problems({ object: 'contacts', date_property: 'createdate', filters: filters(5) })).toEqual([
      "kpis.0.source.filters: HubSpot allows 6 filters in a search, 2 for the period's date included: at most 4 here, not 5",
    ]);
    expect(problems({ object: 'contacts', filters: filters(6) })).toEqual([]);
    // The deal presets add the pipeline and the stage: 2 of the config's at most.
    expect(problems({ preset: 'carr_closed', filters: filters(3) }, 'money')).toEqual([
      "kpis.0.source.filters: HubSpot allows 6 filters in a search, 2 for the period's date and 2 for the pipeline and stage included: at most 2 here, not 3",
    ]);
    expect(problems({ object: 'deals', filters: [{ property: 'dealstage', operator: 'IN', value: 'closedwon' }] })).toEqual(['kpis.0.source.filters.0.values: IN needs values: [...]']);
    expect(problems({ preset: 'carr_closed' }, 'count')).toEqual(['kpis.0.unit: must be money for the hubspot preset carr_closed']);
    expect(problems({ preset: 'mqls', token_env: 'STRIPE_API_KEY' })).toEqual(['kpis.0.source.token_env: may not be STRIPE_API_KEY: the Stripe key goes to Stripe only (use a stripe source)']);
  });
});

describe('HubSpot rate-limit waits', () => {
  const answer = (headers: Record<string, string>) => ({ headers: new Headers(headers) });
  it('waits as Retry-After says, else for the policy interval when none is left, else leaves it to the backoff', () => {
    expect(rateLimitWait(answer({ 'retry-after': '2' }))).toBe(2000);
    expect(rateLimitWait(answer({ 'x-hubspot-ratelimit-remaining': '0', 'x-hubspot-ratelimit-interval-milliseconds': '10000' }))).toBe(10_000);
    expect(rateLimitWait(answer({ 'x-hubspot-ratelimit-remaining': '3', 'x-hubspot-ratelimit-interval-milliseconds': '10000' }))).toBeNull();
  });
});

describe('the hubspot environment, checked before any source runs', () => {
  const kpis = reportSchema.parse({ kpis: [{ id: 'mqls', name: 'MQLs', unit: 'count', source: { type: 'hubspot', preset: 'mqls', token_env: 'CRM_TOKEN' } }] }).kpis;
  it('refuses a HUBSPOT_API_URL that is no URL, holds credentials or would carry the token in the clear', () => {
    expect(() => checkSourceEnvironment(kpis, { HUBSPOT_API_URL: 'not a url' })).toThrow('HUBSPOT_API_URL is not a URL');
    expect(() => checkSourceEnvironment(kpis, { HUBSPOT_API_URL: 'https://user:pw@crm.example.com' })).toThrow('HUBSPOT_API_URL must not hold a user name or password');
    expect(() => checkSourceEnvironment(kpis, { HUBSPOT_API_URL: 'http://crm.example.com', CRM_TOKEN: 'pat-secret' })).toThrow('HUBSPOT_API_URL must be https (or http to this machine): CRM_TOKEN is sent to it');
    expect(() => checkSourceEnvironment(kpis, { CRM_TOKEN: 'pat-secret\nX-Injected: 1' })).toThrow('CRM_TOKEN holds a character an HTTP header cannot carry');
    expect(() => checkSourceEnvironment(kpis, { HUBSPOT_API_URL: 'http://127.0.0.1:9999', CRM_TOKEN: 'pat-secret' })).not.toThrow();
  });
});
