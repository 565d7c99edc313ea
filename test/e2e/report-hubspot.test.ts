import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handworkedCrm, HANDWORKED_NOW, HANDWORKED_RATES } from '../support/hubspot-dataset.js';
import { startHubspotServer, type HubspotServer } from '../support/hubspot-server.js';
import { runKpi } from '../support/run-kpi.js';

const TOKEN = 'pat-eu1-7f3e9a2b-1c4d-planted';
const WRONG_TOKEN = 'pat-eu1-00000000-wrong-one';

describe('kpi report with hubspot sources (the built binary against the test server)', () => {
  let server: HubspotServer;
  let directory: string;
  beforeAll(async () => {
    // The server echoes the real token in every error body and in a header of every answer.
    server = await startHubspotServer({ dataset: handworkedCrm(), token: TOKEN, plantedSecret: TOKEN, missingScopes: ['crm.schemas.deals.read'] });
    directory = mkdtempSync(join(tmpdir(), 'kpi-hubspot-'));
  });
  afterAll(() => server.close());

  const writeConfig = (kpis: unknown[]) => {
    const path = join(directory, 'kpi.config.json');
    writeFileSync(path, JSON.stringify({ reporting: { currency: 'usd', rates: HANDWORKED_RATES }, report: { time_zone: 'Europe/Berlin', kpis } }));
    return path;
  };

  it('reads the presets, makes only failing KPIs n/a with specific reasons, and never shows the token', async () => {
    const config = writeConfig([
      { id: 'mqls', name: 'MQLs', unit: 'count', period: 'this_quarter', source: { type: 'hubspot', preset: 'mqls' }, target: 4 },
      { id: 'carr_projected', name: 'CARR Projected', unit: 'money', currency: 'usd', period: 'this_quarter', source: { type: 'hubspot', preset: 'carr_projected', pipelines: ['default'] } },
      { id: 'typo', name: 'Leads', unit: 'count', period: 'this_quarter', source: { type: 'hubspot', object: 'contacts', filters: [{ property: 'lifecyclestag', operator: 'EQ', value: 'lead' }] } },
      { id: 'no_scope', name: 'CARR by typo', unit: 'money', currency: 'usd', period: 'this_quarter', source: { type: 'hubspot', preset: 'carr_closed', amount_property: 'hs_ar' } },
      { id: 'rejected', name: 'CARR other portal', unit: 'money', currency: 'usd', period: 'this_quarter', source: { type: 'hubspot', preset: 'carr_closed', token_env: 'OTHER_HUBSPOT_TOKEN' } },
    ]);
    const history = join(directory, 'history.jsonl');
    const run = await runKpi(['report', '--config', config, '--format', 'json', '--verbose', '--record', '--history-file', history], {
      env: { HUBSPOT_TOKEN: TOKEN, OTHER_HUBSPOT_TOKEN: WRONG_TOKEN, HUBSPOT_API_URL: server.url, KPI_NOW: HANDWORKED_NOW },
    });
    // A KPI whose source failed (a rejected token included) makes the run exit 1, the report still printed.
    expect(run.code).toBe(1);
    const byId = Object.fromEntries(JSON.parse(run.stdout).kpis.map((kpi: { id: string }) => [kpi.id, kpi]));
    // The hand-worked CRM (test/support/hubspot-dataset.ts): 4 MQLs in Berlin's Q4; CARR projected 86,800.00 USD.
    expect(byId.mqls).toMatchObject({ value: 4, status: 'green', source: 'hubspot' });
    expect(byId.carr_projected).toMatchObject({ value: 8_680_000, currency: 'usd' });
    expect(byId.carr_projected.note).toContain('unweighted 96300.00 USD');
    expect(byId.typo).toMatchObject({ status: 'error', error: 'HubSpot contacts have no property "lifecyclestag"; closest: "lifecyclestage", "createdate", "email"' });
    expect(byId.no_scope).toMatchObject({
      status: 'error',
      error: 'HUBSPOT_TOKEN lacks the scope crm.schemas.deals.read that GET /crm/v3/properties/deals needs (HTTP 403): add it to the private app',
    });
    expect(byId.rejected).toMatchObject({ status: 'error', error: "HubSpot rejected OTHER_HUBSPOT_TOKEN (HTTP 401): check the private app's access token" });
    expect(run.stderr).toMatch(/^kpi: mqls \(hubspot\): 1 request \(1 search page\), [\d.]+ (bytes|kB) from http:\/\/127\.0\.0\.1:\d+; /m);
    const recorded = readFileSync(history, 'utf8');
    for (const secret of [TOKEN, WRONG_TOKEN]) {
      expect(run.stdout).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
      expect(recorded).not.toContain(secret);
    }
    // Each token went to the server as a bearer token, nowhere else.
    expect(new Set(server.requests.map((request) => request.authorization))).toEqual(new Set([`Bearer ${TOKEN}`, `Bearer ${WRONG_TOKEN}`]));
  });

  it('passes HubSpot own error messages on with the token taken out', async () => {
    const config = writeConfig([{ id: 'mqls', name: 'MQLs', unit: 'count', period: 'this_quarter', source: { type: 'hubspot', preset: 'mqls' } }]);
    // A base path the server does not know: its 404 message echoes the token.
    const run = await runKpi(['report', '--config', config, '--format', 'json'], { env: { HUBSPOT_TOKEN: TOKEN, HUBSPOT_API_URL: `${server.url}/v0`, KPI_NOW: HANDWORKED_NOW } });
    expect(run.code).toBe(1);
    const [mqls] = JSON.parse(run.stdout).kpis;
    expect(mqls.error).toBe('HubSpot answered HTTP 404 to POST /crm/v3/objects/contacts/search: No route for POST /v0/crm/v3/objects/contacts/search (token [redacted])');
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  it('refuses to send the token over plain http to another machine (exit 2, nothing on stdout)', async () => {
    const config = writeConfig([{ id: 'mqls', name: 'MQLs', unit: 'count', period: 'this_quarter', source: { type: 'hubspot', preset: 'mqls' } }]);
    const run = await runKpi(['report', '--config', config], { env: { HUBSPOT_TOKEN: TOKEN, HUBSPOT_API_URL: 'http://crm.example.com' } });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('kpi: error: HUBSPOT_API_URL must be https (or http to this machine): HUBSPOT_TOKEN is sent to it');
    expect(run.stderr).not.toContain(TOKEN);
  });

  it('names a preset whose unit does not fit, as a config error', async () => {
    const config = writeConfig([{ id: 'mqls', name: 'MQLs', unit: 'money', currency: 'usd', source: { type: 'hubspot', preset: 'mqls' } }]);
    const run = await runKpi(['report', '--config', config], { env: { HUBSPOT_TOKEN: TOKEN, HUBSPOT_API_URL: server.url } });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('must be count for the hubspot preset mqls');
  });
});
