import type { CrmDataset, CrmRecord } from '../../src/scoreboard/sources/hubspot/hubspot-crm.js';

/**
 * A small CRM worked out by hand for the report's time zone Europe/Berlin on 2026-11-20:
 * this quarter (Q4) runs from 2026-10-01 00:00 Berlin = 2026-09-30T22:00:00Z (CEST) to
 * 2027-01-01 00:00 Berlin = 2026-12-31T23:00:00Z (CET), end exclusive.
 *
 * MQLs this quarter: 102 (the first instant), 103, 104, 108 = 4. (In UTC it would be 103,
 * 104, 105 = 3: 102 and 108 are still September there, 105 already Q4.)
 *
 * Deals in the "Sales Pipeline" closing this quarter, with rates usd per eur 1.08, per gbp 1.25:
 * - closed won: 201 48,000 USD + 202 10,000 EUR = 10,800 USD + 203 5,000 USD (00:30 Berlin
 *   on 1 October) = 63,800.00 USD (204 closed in September Berlin time, 209 in January, 210
 *   is in the partner pipeline);
 * - open: 205 20,000 USD at 0.9 = 18,000; 206 10,000 GBP = 12,500 USD at 0.4 = 5,000;
 *   207 is closed lost (not projected);
 * - CARR projected weighted: 63,800 + 18,000 + 5,000 = 86,800.00 USD; unweighted:
 *   63,800 + 20,000 + 12,500 = 96,300.00 USD.
 */
export const HANDWORKED_NOW = '2026-11-20T12:00:00Z';
export const HANDWORKED_RATES = { eur: '1.08', gbp: '1.25' };

const contact = (id: string, mqlDate: string | null, lifecyclestage = 'marketingqualifiedlead'): CrmRecord => ({
  id,
  properties: { hs_lifecyclestage_marketingqualifiedlead_date: mqlDate, lifecyclestage, createdate: '2026-01-01T00:00:00Z' },
});

const deal = (id: string, stage: string, arr: string | null, currency: string, closedate: string, probability: string, pipeline = 'default'): CrmRecord => ({
  id,
  properties: { dealname: `Deal ${id}`, dealstage: stage, pipeline, hs_arr: arr, amount: arr, deal_currency_code: currency, closedate, hs_deal_stage_probability: probability },
});

export function handworkedCrm(): CrmDataset {
  return {
    properties: {
      contacts: ['hs_lifecyclestage_marketingqualifiedlead_date', 'lifecyclestage', 'createdate', 'email'].map((name) => ({ name, label: name, type: 'string' })),
      deals: ['dealname', 'dealstage', 'pipeline', 'hs_arr', 'amount', 'deal_currency_code', 'closedate', 'hs_deal_stage_probability'].map((name) => ({ name, label: name, type: 'string' })),
      companies: [],
    },
    pipelines: [
      {
        id: 'default',
        label: 'Sales Pipeline',
        stages: [
          { id: 'qualifiedtobuy', label: 'Qualified To Buy', metadata: { probability: '0.4', isClosed: 'false' } },
          { id: 'contractsent', label: 'Contract Sent', metadata: { probability: '0.9', isClosed: 'false' } },
          { id: 'closedwon', label: 'Closed Won', metadata: { probability: '1.0', isClosed: 'true' } },
          { id: 'closedlost', label: 'Closed Lost', metadata: { probability: '0.0', isClosed: 'true' } },
        ],
      },
      {
        id: '7001',
        label: 'Partner Pipeline',
        stages: [
          { id: '7002', label: 'Partner Won', metadata: { probability: '1.0', isClosed: 'true' } },
          { id: '7003', label: 'Partner Talks', metadata: { probability: '0.5', isClosed: 'false' } },
        ],
      },
    ],
    objects: {
      contacts: [
        contact('101', '2026-09-30T21:59:59.999Z'),
        contact('102', '2026-09-30T22:00:00.000Z'),
        contact('103', '2026-11-05T10:00:00.000Z'),
        contact('104', '2026-12-31T22:59:59.000Z'),
        contact('105', '2026-12-31T23:00:00.000Z'),
        contact('106', null, 'lead'),
        contact('108', '2026-09-30T23:30:00.000Z'),
      ],
      deals: [
        deal('201', 'closedwon', '48000', 'USD', '2026-10-14T10:00:00Z', '1'),
        deal('202', 'closedwon', '10000', 'EUR', '2026-11-03T09:00:00Z', '1'),
        deal('203', 'closedwon', '5000.00', 'USD', '2026-09-30T22:30:00Z', '1'),
        deal('204', 'closedwon', '7000', 'USD', '2026-09-30T21:00:00Z', '1'),
        deal('205', 'contractsent', '20000', 'USD', '2026-12-15T12:00:00Z', '0.9'),
        deal('206', 'qualifiedtobuy', '10000', 'GBP', '2026-12-20T12:00:00Z', '0.4'),
        deal('207', 'closedlost', '30000', 'USD', '2026-11-10T12:00:00Z', '0'),
        deal('209', 'closedwon', '2500.50', 'USD', '2027-01-01T00:30:00Z', '1'),
        deal('210', '7002', '3000', 'USD', '2026-11-11T12:00:00Z', '1', '7001'),
      ],
    },
  };
}
