import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeRates } from '../../src/money/exchange-rates.js';
import { reportSchema, type KpiDefinition } from '../../src/scoreboard/kpi-config.js';
import { resolvePeriod } from '../../src/scoreboard/periods.js';
import type { CrmDataset } from '../../src/scoreboard/sources/hubspot/hubspot-crm.js';
import { readHubspotSource, type HubspotSource } from '../../src/scoreboard/sources/hubspot/hubspot-source.js';
import { datasetHubspotTransport, httpHubspotTransport, type HubspotTransport } from '../../src/scoreboard/sources/hubspot/hubspot-transport.js';
import { MAX_BODY_BYTES, type SourceContext } from '../../src/scoreboard/sources/source-types.js';
import { handworkedCrm, HANDWORKED_NOW, HANDWORKED_RATES } from '../support/hubspot-dataset.js';
import { startHubspotServer, type HubspotServer } from '../support/hubspot-server.js';

const TOKEN = 'pat-eu1-0a1b2c3d-planted-token';
const calendar = { timeZone: 'Europe/Berlin', fiscalYearStartMonth: 1 };
const now = new Date(HANDWORKED_NOW);
const configRates: ExchangeRates = { currency: 'usd', source: 'config', date: null, quoted: HANDWORKED_RATES };

function kpiOf(entry: Record<string, unknown>): KpiDefinition {
  return reportSchema.parse({ time_zone: calendar.timeZone, kpis: [{ id: 'crm', name: 'CRM', period: 'this_quarter', ...entry }] }).kpis[0] as KpiDefinition;
}

function contextFor(kpi: KpiDefinition, overrides: Partial<SourceContext> = {}): SourceContext {
  return { kpi, period: resolvePeriod(kpi.period, now, calendar), calendar, env: { HUBSPOT_TOKEN: TOKEN }, baseDir: '.', allowCommands: false, maxBodyBytes: MAX_BODY_BYTES, rates: async () => configRates, now, ...overrides };
}

function read(entry: Record<string, unknown>, transport: HubspotTransport, overrides: Partial<SourceContext> = {}) {
  const kpi = kpiOf(entry);
  return readHubspotSource(kpi.source as HubspotSource, contextFor(kpi, overrides), transport);
}

/** A clock whose sleeps pass at once: rate-limit waits are recorded, not waited. */
function fakeClock() {
  let time = 0;
  const sleeps: number[] = [];
  return { sleeps, clock: { now: () => time, sleep: async (ms: number) => void (sleeps.push(ms), (time += ms)) } };
}

describe('hubspot source against the HubSpot-compatible test server', () => {
  let server: HubspotServer;
  let transport: HubspotTransport;
  beforeAll(async () => {
    server = await startHubspotServer({ dataset: handworkedCrm(), token: TOKEN });
    transport = httpHubspotTransport(new URL(server.url), { maxBodyBytes: MAX_BODY_BYTES, clock: fakeClock().clock });
  });
  afterAll(() => server.close());

  it('counts MQLs of this quarter in Europe/Berlin: 102, 103, 104 and 108 (see the dataset)', async () => {
    const value = await read({ unit: 'count', source: { type: 'hubspot', preset: 'mqls' } }, transport);
    expect(value.value).toBe(4);
    const search = server.requests.at(-1)!;
    expect(search.path).toBe('/crm/v3/objects/contacts/search');
    expect(search.authorization).toBe(`Bearer ${TOKEN}`);
    // The quarter's bounds as epoch milliseconds: 2026-09-30T22:00Z and 2026-12-31T23:00Z.
    expect((search.body as { filterGroups: Array<{ filters: unknown[] }> }).filterGroups[0]!.filters).toEqual([
      { propertyName: 'hs_lifecyclestage_marketingqualifiedlead_date', operator: 'GTE', value: String(Date.parse('2026-09-30T22:00:00Z')) },
      { propertyName: 'hs_lifecyclestage_marketingqualifiedlead_date', operator: 'LT', value: String(Date.parse('2026-12-31T23:00:00Z')) },
    ]);
  });

  it('the same contacts in UTC: 103, 104 and 105', async () => {
    const kpi = kpiOf({ unit: 'count', source: { type: 'hubspot', preset: 'mqls' } });
    const utc = { timeZone: 'UTC', fiscalYearStartMonth: 1 };
    const value = await readHubspotSource(kpi.source as HubspotSource, contextFor(kpi, { period: resolvePeriod('this_quarter', now, utc), calendar: utc }), transport);
    expect(value.value).toBe(3);
  });

  it('sums CARR closed in USD, the EUR deal converted exactly: 48,000 + 10,000 x 1.08 + 5,000 = 63,800.00', async () => {
    const value = await read({ unit: 'money', currency: 'usd', source: { type: 'hubspot', preset: 'carr_closed', pipelines: ['Sales Pipeline'] } }, transport);
    expect(value).toMatchObject({ value: 6_380_000, currency: 'usd' });
    expect(value.note).toBe("3 closed-won deals; EUR converted to USD with the config's rates");
  });

  it('counts every pipeline when none is named: the partner deal 210 adds 3,000 = 66,800.00', async () => {
    const value = await read({ unit: 'money', currency: 'usd', source: { type: 'hubspot', preset: 'carr_closed' } }, transport);
    expect(value.value).toBe(6_680_000);
  });

  it('weights CARR projected by stage probability and gives the unweighted figure in the note', async () => {
    // 63,800 + 20,000 x 0.9 + 10,000 GBP x 1.25 x 0.4 = 63,800 + 18,000 + 5,000 = 86,800.00;
    // unweighted 63,800 + 20,000 + 12,500 = 96,300.00.
    const value = await read({ unit: 'money', currency: 'usd', source: { type: 'hubspot', preset: 'carr_projected', pipelines: ['default'] } }, transport);
    expect(value.value).toBe(8_680_000);
    expect(value.note).toBe("3 closed-won and 2 open deals; weighted by stage probability; unweighted 96300.00 USD; EUR, GBP converted to USD with the config's rates");
  });

  it('takes configured stage probabilities over the deals own: Contract Sent at 0.5 gives 63,800 + 10,000 + 5,000 = 78,800.00', async () => {
    const value = await read({ unit: 'money', currency: 'usd', source: { type: 'hubspot', preset: 'carr_projected', pipelines: ['default'], probabilities: { 'Contract Sent': 0.5 } } }, transport);
    expect(value.value).toBe(7_880_000);
  });

  it('sums amount with a factor into EUR: (48,000 + 5,000) / 1.08 x 12 + 10,000 x 12 per EUR', async () => {
    // In EUR: 201 48,000 USD = 48,000 / 1.08 EUR, 203 5,000 / 1.08, 202 10,000 EUR; all x 12:
    // (53,000 / 1.08 + 10,000) x 12 = 588,888.888... + 120,000 = 708,888.888... EUR -> 70,888,888.89 cents.
    const value = await read({ unit: 'money', currency: 'eur', source: { type: 'hubspot', preset: 'carr_closed', pipelines: ['default'], amount_property: 'amount', amount_factor: 12 } }, transport);
    expect(value).toMatchObject({ value: 70_888_889, currency: 'eur' });
  });

  it('takes a stage label to mean that stage in every pipeline that has it', async () => {
    // Both pipelines call their won stage "Closed Won" (ids closedwon and 7002), as HubSpot's do
    // by default: 63,800 in the Sales Pipeline + 3,000 (deal 210) in the partner one = 66,800.00.
    const dataset = handworkedCrm();
    dataset.pipelines[1]!.stages[0]!.label = 'Closed Won';
    dataset.pipelines[1]!.stages[1]!.label = 'Contract Sent';
    dataset.objects.deals!.push({ id: '211', properties: { dealstage: '7003', pipeline: '7001', hs_arr: '4000', deal_currency_code: 'USD', closedate: '2026-12-01T12:00:00Z', hs_deal_stage_probability: '0.5' } });
    const sameLabels = datasetHubspotTransport(dataset);
    const closed = await read({ unit: 'money', currency: 'usd', source: { type: 'hubspot', preset: 'carr_closed', closed_won_stages: ['Closed Won'] } }, sameLabels);
    expect(closed.value).toBe(6_680_000);
    // "Contract Sent" at 0.25 in both pipelines: 66,800 + 20,000 x 0.25 (205) + 4,000 x 0.25 (211,
    // not its own 0.5) + 10,000 GBP x 1.25 x 0.4 (206) = 66,800 + 5,000 + 1,000 + 5,000 = 77,800.00.
    const projected = await read({ unit: 'money', currency: 'usd', source: { type: 'hubspot', preset: 'carr_projected', closed_won_stages: ['Closed Won'], probabilities: { 'Contract Sent': 0.25 } } }, sameLabels);
    expect(projected.value).toBe(7_780_000);
  });

  it('makes a deal in another currency n/a without rates, naming the deal and currency', async () => {
    await expect(read({ unit: 'money', currency: 'usd', source: { type: 'hubspot', preset: 'carr_closed', pipelines: ['default'] } }, transport, { rates: async () => null })).rejects.toThrow(
      'deal 202 is in EUR, not USD: converting it needs exchange rates (config "reporting")',
    );
  });

  it('the generic form: contacts with a lifecycle stage filter, counted over all time for period now', async () => {
    const value = await read({ unit: 'count', period: 'now', source: { type: 'hubspot', object: 'contacts', filters: [{ property: 'lifecyclestage', operator: 'EQ', value: 'lead' }] } }, transport);
    expect(value.value).toBe(1);
  });

  it('the generic form: sum of a deal property with IN and HAS_PROPERTY filters over the quarter', async () => {
    // Open deals 205 (20,000) and 206 (10,000), counted as plain numbers: 30,000.
    const value = await read(
      {
        unit: 'count',
        source: {
          type: 'hubspot',
          object: 'deals',
          aggregate: 'sum',
          property: 'hs_arr',
          date_property: 'closedate',
          filters: [
            { property: 'dealstage', operator: 'IN', values: ['contractsent', 'qualifiedtobuy'] },
            { property: 'hs_arr', operator: 'HAS_PROPERTY' },
          ],
        },
      },
      transport,
    );
    expect(value.value).toBe(30_000);
  });

  it('names the closest properties, pipelines and stages when one does not exist', async () => {
    await expect(read({ unit: 'count', source: { type: 'hubspot', object: 'contacts', filters: [{ property: 'lifecyclestag', operator: 'EQ', value: 'lead' }] } }, transport)).rejects.toThrow(
      /^HubSpot contacts have no property "lifecyclestag"; closest: "lifecyclestage"/,
    );
    await expect(read({ unit: 'money', currency: 'usd', source: { type: 'hubspot', preset: 'carr_closed', amount_property: 'hs_ar' } }, transport)).rejects.toThrow(/^HubSpot deals have no property "hs_ar"; closest: "hs_arr"/);
    await expect(read({ unit: 'money', currency: 'usd', source: { type: 'hubspot', preset: 'carr_closed', pipelines: ['Sales Pipe'] } }, transport)).rejects.toThrow(
      'HubSpot has no deal pipeline "Sales Pipe"; closest: "Sales Pipeline"',
    );
    await expect(read({ unit: 'money', currency: 'usd', source: { type: 'hubspot', preset: 'carr_closed', pipelines: ['default'], closed_won_stages: ['Closed Wonn'] } }, transport)).rejects.toThrow(
      /^no deal stage "Closed Wonn" in the pipeline Sales Pipeline; closest: "Closed Won"/,
    );
  });

  it('counts a date (not datetime) property by its calendar date in a zone west of UTC: 1 October and 31 December, not 1 January', async () => {
    // HubSpot keeps a date property as midnight UTC of its date. In New York this quarter runs
    // from 2026-10-01T04:00Z to 2027-01-01T05:00Z; filtering those instants would drop
    // 1 October (00:00Z is before 04:00Z) and take 1 January (00:00Z is before 05:00Z).
    // Datetime values still count by their instant: 2026-10-01T03:59Z is still September there.
    const dataset: CrmDataset = {
      properties: { contacts: [{ name: 'demo_booked_on', label: 'Demo booked on', type: 'date' }] },
      pipelines: [],
      objects: {
        contacts: [
          { id: '1', properties: { demo_booked_on: '2026-09-30' } },
          { id: '2', properties: { demo_booked_on: '2026-10-01' } },
          { id: '3', properties: { demo_booked_on: '2026-12-31' } },
          { id: '4', properties: { demo_booked_on: '2027-01-01' } },
          { id: '5', properties: { demo_booked_on: '2027-01-01' } },
          { id: '6', properties: { demo_booked_on: '2026-10-01T03:59:59.999Z' } },
          { id: '7', properties: { demo_booked_on: '2026-10-01T04:00:00.000Z' } },
        ],
      },
    };
    const newYork = { timeZone: 'America/New_York', fiscalYearStartMonth: 1 };
    const kpi = kpiOf({ unit: 'count', source: { type: 'hubspot', object: 'contacts', date_property: 'demo_booked_on' } });
    const value = await readHubspotSource(kpi.source as HubspotSource, contextFor(kpi, { period: resolvePeriod('this_quarter', now, newYork), calendar: newYork }), datasetHubspotTransport(dataset));
    // Contacts 2, 3 and 7.
    expect(value.value).toBe(3);
    // East of UTC (Berlin) the same dates count the same (2 and 3), and so do both instants (6 and 7:
    // 05:59 and 06:00 on 1 October there): 4.
    expect((await read({ unit: 'count', source: { type: 'hubspot', object: 'contacts', date_property: 'demo_booked_on' } }, datasetHubspotTransport(dataset))).value).toBe(4);
  });

  it('says a rejected token is rejected, and a missing token is missing', async () => {
    await expect(read({ unit: 'count', source: { type: 'hubspot', preset: 'mqls' } }, transport, { env: { HUBSPOT_TOKEN: 'pat-wrong-token' } })).rejects.toThrow('HubSpot rejected HUBSPOT_TOKEN (HTTP 401)');
    await expect(read({ unit: 'count', source: { type: 'hubspot', preset: 'mqls', token_env: 'CRM_TOKEN' } }, transport, { env: {} })).rejects.toThrow(/^CRM_TOKEN is not set/);
  });
});

describe('hubspot source: scopes, rate limits and the result cap', () => {
  it('names the missing scope from HubSpot 403 body', async () => {
    const server = await startHubspotServer({ dataset: handworkedCrm(), token: TOKEN, missingScopes: ['crm.objects.deals.read'] });
    try {
      const transport = httpHubspotTransport(new URL(server.url), { maxBodyBytes: MAX_BODY_BYTES, clock: fakeClock().clock });
      await expect(read({ unit: 'money', currency: 'usd', source: { type: 'hubspot', preset: 'carr_closed' } }, transport)).rejects.toThrow(
        'HUBSPOT_TOKEN lacks the scope crm.objects.deals.read that GET /crm/v3/pipelines/deals needs (HTTP 403): add it to the private app',
      );
    } finally {
      await server.close();
    }
  });

  it('leaves out a deal without an amount without asking for the schema scope, since other deals show the property exists', async () => {
    const dataset = handworkedCrm();
    dataset.objects.deals!.find((deal) => deal.id === '201')!.properties.hs_arr = null;
    const server = await startHubspotServer({ dataset, token: TOKEN, missingScopes: ['crm.schemas.deals.read'] });
    try {
      const transport = httpHubspotTransport(new URL(server.url), { maxBodyBytes: MAX_BODY_BYTES, clock: fakeClock().clock });
      // 201 (48,000) has no hs_arr: 10,000 x 1.08 + 5,000 = 15,800.00.
      const value = await read({ unit: 'money', currency: 'usd', source: { type: 'hubspot', preset: 'carr_closed', pipelines: ['default'] } }, transport);
      expect(value.value).toBe(1_580_000);
      expect(value.note).toContain('1 of 3 deals without "hs_arr" left out');
      // A generic sum the same: 205 (20,000) and 206 (10,000) have hs_arr, a closed-lost 207 here has none.
      dataset.objects.deals!.find((deal) => deal.id === '207')!.properties.hs_arr = null;
      const sum = await read({ unit: 'count', source: { type: 'hubspot', object: 'deals', aggregate: 'sum', property: 'hs_arr', date_property: 'closedate', filters: [{ property: 'dealstage', operator: 'IN', values: ['contractsent', 'qualifiedtobuy', 'closedlost'] }] } }, transport);
      expect(sum).toMatchObject({ value: 30_000, note: '1 of 3 deals without "hs_arr" counted as 0' });
    } finally {
      await server.close();
    }
  });

  it('waits out 429s as Retry-After says and then reads, and gives up within the bound', async () => {
    const server = await startHubspotServer({ dataset: handworkedCrm(), token: TOKEN, rateLimited: 2 });
    try {
      const { clock, sleeps } = fakeClock();
      const transport = httpHubspotTransport(new URL(server.url), { maxBodyBytes: MAX_BODY_BYTES, clock });
      const value = await read({ unit: 'count', source: { type: 'hubspot', preset: 'mqls' } }, transport);
      expect(value.value).toBe(4);
      expect(value.read).toMatch(/^3 requests \(1 search page\)/);
      // Retry-After: 1 -> 1,000 ms before each of the two retries (besides the limiter's spacing).
      expect(sleeps.filter((ms) => ms === 1000).length).toBeGreaterThanOrEqual(2);
    } finally {
      await server.close();
    }
    const stubborn = await startHubspotServer({ dataset: handworkedCrm(), token: TOKEN, rateLimited: 1000 });
    try {
      const transport = httpHubspotTransport(new URL(stubborn.url), { maxBodyBytes: MAX_BODY_BYTES, clock: fakeClock().clock });
      await expect(read({ unit: 'count', source: { type: 'hubspot', preset: 'mqls' } }, transport)).rejects.toThrow(/^HubSpot kept answering 429 \(rate limit\) after 7 attempts/);
      expect(stubborn.requests).toHaveLength(7);
    } finally {
      await stubborn.close();
    }
    // A Retry-After longer than a run waits in all (60 s) ends the read at once, saying so.
    const distant = await startHubspotServer({ dataset: handworkedCrm(), token: TOKEN, rateLimited: 1000, retryAfterSeconds: 120 });
    try {
      const transport = httpHubspotTransport(new URL(distant.url), { maxBodyBytes: MAX_BODY_BYTES, clock: fakeClock().clock });
      await expect(read({ unit: 'count', source: { type: 'hubspot', preset: 'mqls' } }, transport)).rejects.toThrow(
        /^HubSpot asked kpi to wait 120 s more \(HTTP 429, rate limit\), beyond the 60 s a run waits in all; try again later/,
      );
      expect(distant.requests).toHaveLength(1);
    } finally {
      await distant.close();
    }
  });

  it('retries server errors with backoff, and stops at once when the daily limit is used up', async () => {
    const flaky = await startHubspotServer({ dataset: handworkedCrm(), token: TOKEN, serverErrors: 2 });
    try {
      const transport = httpHubspotTransport(new URL(flaky.url), { maxBodyBytes: MAX_BODY_BYTES, clock: fakeClock().clock });
      const value = await read({ unit: 'count', source: { type: 'hubspot', preset: 'mqls' } }, transport);
      expect(value.value).toBe(4);
      expect(flaky.requests).toHaveLength(3);
    } finally {
      await flaky.close();
    }
    const spent = await startHubspotServer({ dataset: handworkedCrm(), token: TOKEN, dailyLimitUsedUp: true });
    try {
      const transport = httpHubspotTransport(new URL(spent.url), { maxBodyBytes: MAX_BODY_BYTES, clock: fakeClock().clock });
      await expect(read({ unit: 'count', source: { type: 'hubspot', preset: 'mqls' } }, transport)).rejects.toThrow(/^HubSpot's daily API limit of this account is used up \(HTTP 429\)/);
      expect(spent.requests).toHaveLength(1);
    } finally {
      await spent.close();
    }
  });

  it('splits a period over 10,000 results into date ranges and says so', async () => {
    // 10,001 contacts became MQLs this quarter, one every 10 minutes from 2026-10-01T00:00Z;
    // over the cap, so the quarter is halved: both halves hold fewer than 10,000.
    const dataset: CrmDataset = handworkedCrm();
    const start = Date.parse('2026-10-01T00:00:00Z');
    dataset.objects.contacts = Array.from({ length: 10_001 }, (_, index) => ({
      id: String(1000 + index),
      properties: { hs_lifecyclestage_marketingqualifiedlead_date: new Date(start + index * 600_000).toISOString(), lifecyclestage: 'marketingqualifiedlead' },
    }));
    const requests: Array<{ after?: string }> = [];
    const inner = datasetHubspotTransport(dataset);
    const recording: HubspotTransport = { ...inner, send: (request, token) => (requests.push(request.body as { after?: string }), inner.send(request, token)) };
    const value = await read({ unit: 'count', source: { type: 'hubspot', preset: 'mqls' } }, recording);
    expect(value.value).toBe(10_001);
    expect(value.note).toBe('the period held over 10,000 results, so it was read in 2 date ranges');
    expect(requests.every((body) => body.after === undefined || Number(body.after) < 10_000)).toBe(true);
  });
});

describe('records that move between pages while they are read', () => {
  it('count once: a record pushed onto the next page by an insert is not counted twice', async () => {
    // HubSpot's `after` is an offset: a contact created while page 1 is read pushes c2 from
    // page 1 onto page 2 as well. Three distinct contacts, four results.
    const pages = [
      { total: 3, results: [{ id: 'c1', properties: {} }, { id: 'c2', properties: {} }], paging: { next: { after: '2' } } },
      { total: 4, results: [{ id: 'c2', properties: {} }, { id: 'c3', properties: {} }] },
    ];
    let served = 0;
    const transport: HubspotTransport = {
      location: 'a shifting CRM',
      needsToken: false,
      send: async (request) => {
        if (!request.path.endsWith('/search')) throw new Error(`unexpected ${request.path}`);
        const body = pages[served++];
        return { status: 200, body, bytes: JSON.stringify(body).length, attempts: 1 };
      },
    };
    const value = await read({ unit: 'count', period: 'now', source: { type: 'hubspot', object: 'contacts' } }, transport);
    expect(value.value).toBe(3);
    expect(served).toBe(2);
  });
});
